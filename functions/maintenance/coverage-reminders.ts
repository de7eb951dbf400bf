import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { settings } from '#shared/settings';
import { remindUncheckedHotSpots } from '#shared/use-cases/campaign';
import { notifier, tableDependencies } from '#shared/use-cases/dependencies';

const deps = { ...tableDependencies(), ...notifier(), reminderHours: settings.coverageReminderHours };

/**
 * Runs every 5 minutes (an EventBridge rule): at each reminder hour of the night, tells each station which of its
 * high-priority hot spots are still unchecked (shared/use-cases/campaign.ts), once per night and hour.
 */
export const handler = middy<unknown, unknown, Error, Context>().handler(async () => {
  const reminded = await remindUncheckedHotSpots(deps);
  if (reminded.sent) console.log(JSON.stringify({ level: 'info', message: 'coverage reminders sent', ...reminded }));
  return reminded;
});
