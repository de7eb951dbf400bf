import type { RiskLevel } from '../contract/vocabulary';

/** Minutes allowed to acknowledge an alert, by risk (settings may override; see Settings.ackMinutes). */
export const DEFAULT_ACK_MINUTES: Record<RiskLevel, number> = { red: 5, orange: 15, yellow: 60, blue: 240 };
/** The same while a cold-wave warning (yellow or above) is in force: shorter (settings may override; Settings.coldWave). */
export const DEFAULT_COLD_WAVE_ACK_MINUTES: Record<RiskLevel, number> = { red: 3, orange: 10, yellow: 30, blue: 120 };
/** A revisit after declined help comes this much sooner while a cold wave is in force. */
export const DEFAULT_COLD_WAVE_REVISIT_FACTOR = 0.5;

/** Who may be asked to act on a case. */
export const ALERT_TARGET_KINDS = ['team', 'station', 'coordinator'] as const;
export type EscalationRung = (typeof ALERT_TARGET_KINDS)[number];

/**
 * Who is asked, rung by rung, when nobody acknowledges in time: the nearest team on duty, another team (the next
 * nearest), the station's duty officer, the campaign coordinator. After the last rung the coordinator is asked again.
 */
export const ESCALATION_LADDER: readonly { kind: EscalationRung; nth: number }[] = [
  { kind: 'team', nth: 0 },
  { kind: 'team', nth: 1 },
  { kind: 'station', nth: 0 },
  { kind: 'coordinator', nth: 0 },
];

export const rungAt = (index: number) => ESCALATION_LADDER[Math.min(index, ESCALATION_LADDER.length - 1)]!;

/** When an alert raised at `from` must be acknowledged; `timeScale` shortens every wait for drills and tests. */
export function acknowledgementDeadline(
  risk: RiskLevel, from: Date, timeScale: number, ackMinutes: Record<RiskLevel, number> = DEFAULT_ACK_MINUTES,
): Date {
  return new Date(from.getTime() + ackMinutes[risk] * 60_000 * timeScale);
}

/**
 * Whole seconds left until `deadline`, at least 1 (Step Functions task timeouts are integers ≥ 1).
 * Computed from the stored deadline so a wait resumed after a restart waits only what remains.
 */
export function secondsUntil(deadline: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(deadline) - now.getTime()) / 1000));
}
