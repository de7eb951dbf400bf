import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_ACK_MINUTES } from '#shared/domain/alert-policy';
import type { Notification } from '#shared/domain/notification';
import { DirectoryStore } from '#shared/store/directory-store';
import { NotificationStore } from '#shared/store/notification-store';
import { WeatherStore } from '#shared/store/weather-store';

/**
 * What landing evidence needs besides the cases and the workflow, for tests that build their own dependencies: a
 * report that opens a case alerts at once (shared/use-cases/open-case.ts), reading the directory and the weather and
 * writing the alert's outbox. The notifier keeps what it was handed.
 */
export function openingDeps(db: DynamoDBDocumentClient, tableName: string) {
  const dispatched: Notification[] = [];
  return {
    directory: new DirectoryStore(db, tableName),
    weather: new WeatherStore(db, tableName),
    notifications: new NotificationStore(db, tableName),
    notifier: { dispatch: async (notifications: Notification[]) => { dispatched.push(...notifications); } },
    dispatched,
    timeScale: 1,
    ackMinutes: DEFAULT_ACK_MINUTES,
  };
}
