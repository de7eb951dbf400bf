/**
 * How many new cases one help point or one device may open in an hour (contract v1.1: 20 and 300 by default). A
 * flood on the public Open311 route, or a device gone wrong, must not page every team; reports that join an existing
 * case are never limited. The hour is the clock hour (UTC), counted by one item per subject and hour.
 */
export interface QuotaSettings {
  helpPointCasesPerHour: number;
  deviceCasesPerHour: number;
}

export const DEFAULT_QUOTAS: QuotaSettings = { helpPointCasesPerHour: 20, deviceCasesPerHour: 300 };

/** Whose quota a new case counts against, and its limit. */
export interface Quota {
  subject: string;
  limit: number;
}

export const helpPointQuota = (helpPointId: string, settings: QuotaSettings): Quota =>
  ({ subject: `help_point#${helpPointId}`, limit: settings.helpPointCasesPerHour });
export const deviceQuota = (deviceId: string, settings: QuotaSettings): Quota =>
  ({ subject: `device#${deviceId}`, limit: settings.deviceCasesPerHour });

const HOUR_MS = 3_600_000;

/** The hour `at` falls in (`2026-12-02T03`), when the quota refills (seconds from `at`), and when the count may go. */
export function quotaWindow(at: Date): { hour: string; retryAfterSeconds: number; expiresAt: number } {
  const start = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  const end = start + HOUR_MS;
  return {
    hour: new Date(start).toISOString().slice(0, 13),
    retryAfterSeconds: Math.max(1, Math.ceil((end - at.getTime()) / 1000)),
    expiresAt: Math.floor(end / 1000) + 24 * 3600,
  };
}
