import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { settings } from '#shared/settings';
import { remindUncheckedHotSpots } from '#shared/use-cases/campaign';
import { notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { watchSupplies } from '#shared/use-cases/supplies';
import { logger, observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...notifier(), reminderHours: settings.coverageReminderHours };

/**
 * Runs every 5 minutes (an EventBridge rule): at each reminder hour of the night, tells each station which of its
 * high-priority hot spots are still unchecked (shared/use-cases/campaign.ts), once per night and hour; and tells a
 * station of a supply newly short of what it should hold (a cold wave raised the targets, people came in).
 */
export const handler = middy<unknown, unknown, Error, Context>().use(observed()).handler(async () => {
  const [reminded, supplies] = await Promise.all([remindUncheckedHotSpots(deps), watchSupplies(deps)]);
  if (reminded.sent || supplies.told) logger.info('campaign notices sent', { reminders: reminded.sent, supplies: supplies.told });
  return { ...reminded, supplies: supplies.told };
});
