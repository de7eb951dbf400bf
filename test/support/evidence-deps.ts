import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseWorkflow } from '#shared/adapters/case-workflow';
import { DEFAULT_ACK_MINUTES, DEFAULT_COLD_WAVE_ACK_MINUTES, DEFAULT_COLD_WAVE_REVISIT_FACTOR } from '#shared/domain/alert-policy';
import type { Notification } from '#shared/domain/notification';
import { CampaignStore } from '#shared/store/campaign-store';
import { DEFAULT_PERSON_RULES } from '#shared/domain/person-file';
import { PeopleStore } from '#shared/store/people-store';
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
    campaign: new CampaignStore(db, tableName),
    weather: new WeatherStore(db, tableName),
    notifications: new NotificationStore(db, tableName),
    people: new PeopleStore(db, tableName),
    personWorkflow: new IdleWorkflow(),
    personRules: DEFAULT_PERSON_RULES,
    notifier: { dispatch: async (notifications: Notification[]) => { dispatched.push(...notifications); } },
    dispatched,
    timeScale: 1,
    ackMinutes: DEFAULT_ACK_MINUTES,
    coldWave: { ackMinutes: DEFAULT_COLD_WAVE_ACK_MINUTES, revisitFactor: DEFAULT_COLD_WAVE_REVISIT_FACTOR },
  };
}

/** A workflow that is always running and never waits: for tests of what lands, not of what the workflow does. */
export class IdleWorkflow implements CaseWorkflow {
  async start() {}
  async describe() {
    return { state: 'running' as const };
  }
  async completeWait() {
    return 'gone' as const;
  }
}
