import type { RiskLevel } from './contract/vocabulary';
import { DEFAULT_ACK_MINUTES, DEFAULT_COLD_WAVE_ACK_MINUTES, DEFAULT_COLD_WAVE_REVISIT_FACTOR } from './domain/alert-policy';
import { type CorrelationSettings, DEFAULT_CORRELATION } from './domain/correlation';
import { DEFAULT_ARRIVAL_CHECK_M, DEFAULT_DISPOSAL, type DisposalSettings } from './domain/disposal';
import { DEFAULT_QUOTAS, type QuotaSettings } from './domain/quota';
import { DEFAULT_RETENTION, type RetentionSettings } from './domain/retention';
import { DEFAULT_PERSON_RULES, type PersonRules } from './domain/person-file';
import { type CampaignRules, DEFAULT_CAMPAIGN_RULES } from './domain/campaign-rules';
import { type CoverageRules, DEFAULT_COVERAGE_RULES } from './domain/coverage';
import { DEFAULT_RESERVE_RULES, type ReserveRules, SUPPLY_KINDS, type SupplyCounts } from './domain/supplies';

/**
 * Everything a function reads from its environment, in one place. The CDK app sets these on each function;
 * the local runtime sets the same names from the synthesized template.
 */
export interface Settings {
  tableName: string;
  uploadsBucket: string;
  caseWorkflowArn: string;
  /** The state machine that keeps a person's deadlines (family search, care checks, follow-ups). */
  personWorkflowArn: string;
  /** What a person's care and family search allow (shared/domain/person-file.ts). */
  personRules: PersonRules;
  /** The state machine that delivers a notification, retrying with backoff. */
  notificationDeliveryArn: string;
  /** The SNS topic for SMS and e-mail; absent in local mode, where the stored notification is the outbox. */
  notifyTopicArn?: string;
  /** Multiplies every workflow deadline and wait (contract, local mode); 1 in production. */
  timeScale: number;
  ackMinutes: Record<RiskLevel, number>;
  /** What a cold-wave warning (yellow or above) in force changes: shorter acknowledgement deadlines, sooner revisits. */
  coldWave: { ackMinutes: Record<RiskLevel, number>; revisitFactor: number };
  correlation: CorrelationSettings;
  /** How long an unverified machine lead waits for a check or corroboration before it is closed. */
  unverifiedLeadHours: number;
  disposal: DisposalSettings;
  /** Metres from the case beyond which an arrival is far: the phone asks, the timeline marks it. */
  arrivalCheckM: number;
  /** Hours of the night (Shanghai) at which stations are told their high-priority hot spots still unchecked. */
  coverageReminderHours: number[];
  /** What a station should hold in its store room (shared/domain/supplies.ts). */
  reserveRules: ReserveRules;
  /** The nightly targets of the campaign's hot spots. */
  campaignRules: CampaignRules;
  /** How a team's positions make a check of a hot spot (HOT_SPOT_DWELL_MINUTES: how long a team must stay). */
  coverageRules: CoverageRules;
  /** New cases a help point or a device may open in an hour. */
  quotas: QuotaSettings;
  /** Days a closed case keeps its people's details, notes and photos; days a help-point reporter's contact is kept. */
  retention: RetentionSettings;
  /** Days an access-log entry is kept. */
  accessLogDays: number;
  /** The key cursors are sealed with (shared/store/cursor-seal.ts); unset: a key of this process only. */
  cursorKey?: string;
  /** The members' user pool, where the directory makes devices' app clients and invites members. */
  userPoolId: string;
  /** Where a device trades its client credentials for a token (the pool domain's /oauth2/token). */
  deviceTokenUrl: string;
  /** Whose tokens the Callers authorizer takes: the pool's issuer, the app clients of members' ID tokens. */
  tokenIssuer: string;
  memberClientIds: string[];
  /** The issuer's key set given whole (the local issuer's); unset: fetched from the issuer's jwks.json. */
  tokenJwks?: string;
  /** The city's outline beside the function, and its datum: a station naming its districts gets their boundaries. */
  cityOutline?: { file: string; crs: 'gcj02' | 'wgs84' };
}

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the function's environment is incomplete`);
  return value;
};

/** A month and day, `MM-DD`. */
const monthDay = (name: string, fallback: string): string => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(raw)) throw new Error(`${name} must be a month and day, MM-DD, got '${raw}'`);
  return raw;
};

const positiveNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
};

export const settings = {
  get tableName() { return required('TABLE_NAME'); },
  get uploadsBucket() { return required('UPLOADS_BUCKET'); },
  get caseWorkflowArn() { return required('CASE_WORKFLOW_ARN'); },
  get personWorkflowArn() { return required('PERSON_WORKFLOW_ARN'); },
  get personRules() {
    const r = DEFAULT_PERSON_RULES;
    return {
      ...r,
      noticeHours: positiveNumber('FAMILY_SEARCH_NOTICE_HOURS', r.noticeHours),
      dnaWorkingDays: Math.floor(positiveNumber('FAMILY_SEARCH_DNA_WORKING_DAYS', r.dnaWorkingDays)),
      longTermDays: positiveNumber('LONG_STAY_DAYS', r.longTermDays),
    };
  },
  get notificationDeliveryArn() { return required('NOTIFICATION_DELIVERY_ARN'); },
  get notifyTopicArn() { return process.env.NOTIFY_TOPIC_ARN || undefined; },
  get timeScale() { return positiveNumber('TIME_SCALE', 1); },
  get ackMinutes() {
    return {
      red: positiveNumber('ACK_MINUTES_RED', DEFAULT_ACK_MINUTES.red),
      orange: positiveNumber('ACK_MINUTES_ORANGE', DEFAULT_ACK_MINUTES.orange),
      yellow: positiveNumber('ACK_MINUTES_YELLOW', DEFAULT_ACK_MINUTES.yellow),
      blue: positiveNumber('ACK_MINUTES_BLUE', DEFAULT_ACK_MINUTES.blue),
    };
  },
  get coldWave() {
    return {
      ackMinutes: {
        red: positiveNumber('COLD_WAVE_ACK_MINUTES_RED', DEFAULT_COLD_WAVE_ACK_MINUTES.red),
        orange: positiveNumber('COLD_WAVE_ACK_MINUTES_ORANGE', DEFAULT_COLD_WAVE_ACK_MINUTES.orange),
        yellow: positiveNumber('COLD_WAVE_ACK_MINUTES_YELLOW', DEFAULT_COLD_WAVE_ACK_MINUTES.yellow),
        blue: positiveNumber('COLD_WAVE_ACK_MINUTES_BLUE', DEFAULT_COLD_WAVE_ACK_MINUTES.blue),
      },
      revisitFactor: positiveNumber('COLD_WAVE_REVISIT_FACTOR', DEFAULT_COLD_WAVE_REVISIT_FACTOR),
    };
  },
  get correlation() {
    const radiusM = positiveNumber('CORRELATION_RADIUS_M', DEFAULT_CORRELATION.radiusM);
    return {
      radiusM,
      gateSigmas: positiveNumber('CORRELATION_GATE_SIGMAS', DEFAULT_CORRELATION.gateSigmas),
      // The gate never closes below one place's extent.
      maxGateM: Math.max(radiusM, positiveNumber('CORRELATION_MAX_GATE_M', DEFAULT_CORRELATION.maxGateM)),
      vagueM: positiveNumber('CORRELATION_VAGUE_M', DEFAULT_CORRELATION.vagueM),
      windowMinutes: positiveNumber('CORRELATION_WINDOW_MINUTES', DEFAULT_CORRELATION.windowMinutes),
      relinkHours: positiveNumber('CORRELATION_RELINK_HOURS', DEFAULT_CORRELATION.relinkHours),
      confidenceThreshold: positiveNumber('DETECTION_CONFIDENCE_THRESHOLD', DEFAULT_CORRELATION.confidenceThreshold),
    };
  },
  get unverifiedLeadHours() { return positiveNumber('UNVERIFIED_LEAD_HOURS', 12); },
  get quotas() {
    return {
      helpPointCasesPerHour: Math.floor(positiveNumber('QUOTA_HELP_POINT_CASES_PER_HOUR', DEFAULT_QUOTAS.helpPointCasesPerHour)),
      deviceCasesPerHour: Math.floor(positiveNumber('QUOTA_DEVICE_CASES_PER_HOUR', DEFAULT_QUOTAS.deviceCasesPerHour)),
    };
  },
  get retention() {
    return {
      caseDays: positiveNumber('RETENTION_CASE_DAYS', DEFAULT_RETENTION.caseDays),
      contactDays: positiveNumber('RETENTION_CONTACT_DAYS', DEFAULT_RETENTION.contactDays),
      positionDays: positiveNumber('RETENTION_POSITION_DAYS', DEFAULT_RETENTION.positionDays),
      personDays: positiveNumber('RETENTION_PERSON_DAYS', DEFAULT_RETENTION.personDays),
    };
  },
  get accessLogDays() { return positiveNumber('ACCESS_LOG_DAYS', 3 * 365); },
  get cursorKey() { return process.env.CURSOR_KEY || undefined; },
  get arrivalCheckM() { return positiveNumber('ARRIVAL_CHECK_M', DEFAULT_ARRIVAL_CHECK_M); },
  get coverageReminderHours() {
    const raw = process.env.COVERAGE_REMINDER_HOURS ?? '23,2';
    const hours = raw.split(',').map((h) => Number(h.trim()));
    if (hours.some((h) => !Number.isInteger(h) || h < 0 || h > 23 || (h >= 6 && h < 18))) {
      throw new Error(`COVERAGE_REMINDER_HOURS must list hours of the night (18–23, 0–5), got '${raw}'`);
    }
    return hours;
  },
  get reserveRules() {
    const counts = (name: string, fallback: SupplyCounts): SupplyCounts => {
      const raw = process.env[name];
      if (raw === undefined || raw === '') return fallback;
      const pairs = raw.split(',').map((pair) => pair.split(':').map((part) => part.trim()));
      const parsed = Object.fromEntries(pairs.map(([kind, n]) => [kind, Number(n)]));
      const unknown = Object.keys(parsed).filter((kind) => !(SUPPLY_KINDS as readonly string[]).includes(kind));
      if (unknown.length || Object.values(parsed).some((n) => !Number.isFinite(n) || (n as number) < 0)) {
        throw new Error(`${name} must list kind:number pairs of ${SUPPLY_KINDS.join(', ')}, got '${raw}'`);
      }
      return { ...fallback, ...parsed };
    };
    return {
      base: counts('SUPPLY_RESERVE_BASE', DEFAULT_RESERVE_RULES.base),
      perPerson: counts('SUPPLY_RESERVE_PER_PERSON', DEFAULT_RESERVE_RULES.perPerson),
      coldWaveFactor: positiveNumber('SUPPLY_COLD_WAVE_FACTOR', DEFAULT_RESERVE_RULES.coldWaveFactor),
      redColdWaveFactor: positiveNumber('SUPPLY_RED_COLD_WAVE_FACTOR', DEFAULT_RESERVE_RULES.redColdWaveFactor),
    };
  },
  get campaignRules() {
    return {
      checksByPriority: {
        high: positiveNumber('HOT_SPOT_CHECKS_HIGH', DEFAULT_CAMPAIGN_RULES.checksByPriority.high),
        normal: positiveNumber('HOT_SPOT_CHECKS_NORMAL', DEFAULT_CAMPAIGN_RULES.checksByPriority.normal),
      },
      coldWaveExtra: positiveNumber('HOT_SPOT_CHECKS_COLD_WAVE_EXTRA', DEFAULT_CAMPAIGN_RULES.coldWaveExtra),
      holidayExtra: positiveNumber('HOT_SPOT_CHECKS_HOLIDAY_EXTRA', DEFAULT_CAMPAIGN_RULES.holidayExtra),
      period: {
        name: process.env.CAMPAIGN_NAME || DEFAULT_CAMPAIGN_RULES.period.name,
        from: monthDay('CAMPAIGN_FROM', DEFAULT_CAMPAIGN_RULES.period.from),
        to: monthDay('CAMPAIGN_TO', DEFAULT_CAMPAIGN_RULES.period.to),
      },
    };
  },
  get coverageRules() {
    return { ...DEFAULT_COVERAGE_RULES, dwellMinutes: positiveNumber('HOT_SPOT_DWELL_MINUTES', DEFAULT_COVERAGE_RULES.dwellMinutes) };
  },
  get disposal() {
    const arrive = DEFAULT_DISPOSAL.arriveMinutes;
    return {
      arriveMinutes: {
        red: positiveNumber('ARRIVE_MINUTES_RED', arrive.red),
        orange: positiveNumber('ARRIVE_MINUTES_ORANGE', arrive.orange),
        yellow: positiveNumber('ARRIVE_MINUTES_YELLOW', arrive.yellow),
        blue: positiveNumber('ARRIVE_MINUTES_BLUE', arrive.blue),
      },
      outcomeMinutes: positiveNumber('OUTCOME_MINUTES', DEFAULT_DISPOSAL.outcomeMinutes),
      intakeMinutes: positiveNumber('INTAKE_MINUTES', DEFAULT_DISPOSAL.intakeMinutes),
      dischargeCheckHours: positiveNumber('DISCHARGE_CHECK_HOURS', DEFAULT_DISPOSAL.dischargeCheckHours),
      revisitLimit: Math.floor(positiveNumber('REVISIT_LIMIT', DEFAULT_DISPOSAL.revisitLimit)),
    };
  },
  get userPoolId() { return required('USER_POOL_ID'); },
  get deviceTokenUrl() { return required('DEVICE_TOKEN_URL'); },
  get tokenIssuer() { return required('TOKEN_ISSUER'); },
  get memberClientIds() { return required('MEMBER_CLIENT_IDS').split(',').filter(Boolean); },
  get tokenJwks() { return process.env.TOKEN_JWKS || undefined; },
  get cityOutline() {
    const file = process.env.CITY_OUTLINE_FILE;
    return file ? { file, crs: process.env.CITY_OUTLINE_CRS === 'wgs84' ? 'wgs84' as const : 'gcj02' as const } : undefined;
  },
} satisfies Settings;
