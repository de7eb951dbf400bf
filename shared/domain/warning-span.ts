/**
 * When weather warnings are in force: worked out from all the alerts on record whenever it is asked (an Update or a
 * Cancel ends what it refers to from its `sent`), so the order they arrive in does not matter. Reading CAP itself is
 * in warning.ts: this module is what triage and the campaign's reads need, without an XML parser in their bundles.
 */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export const MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;

export interface CapWarning {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: (typeof MSG_TYPES)[number];
  /** The identifiers of the earlier alerts an Update or Cancel refers to. */
  references: string[];
  event?: string;
  level?: WarningLevel;
  coldWave: boolean;
  headline?: string;
  description?: string;
  instruction?: string;
  onset?: string;
  expires?: string;
  areas: string[];
}

export interface StoredWarning extends CapWarning { warningId: string; receivedAt: string }

/**
 * When each warning stops being in force because a later one ends it: the `sent` of the earliest Update or Cancel on
 * record that refers to it (whichever arrived first).
 */
function endings(all: readonly StoredWarning[]): Map<string, number> {
  const ends = new Map<string, number>();
  for (const warning of all) {
    if (warning.msgType !== 'Update' && warning.msgType !== 'Cancel') continue;
    for (const identifier of warning.references) {
      const at = Date.parse(warning.sent);
      ends.set(identifier, Math.min(ends.get(identifier) ?? Number.POSITIVE_INFINITY, at));
    }
  }
  return ends;
}

/** The span a warning is in force, or undefined for one that never is (a Cancel, a test, an exercise). */
function spanOf(warning: StoredWarning, ends: Map<string, number>): { from: number; to: number } | undefined {
  if (warning.status !== 'Actual' || (warning.msgType !== 'Alert' && warning.msgType !== 'Update') || !warning.expires) return undefined;
  const from = warning.onset ? Date.parse(warning.onset) : Number.NEGATIVE_INFINITY;
  const to = Math.min(Date.parse(warning.expires), ends.get(warning.identifier) ?? Number.POSITIVE_INFINITY);
  return to > from ? { from, to } : undefined;
}

/** The warnings in force at `at`: onset passed (or none), not expired, not replaced or cancelled. */
export function activeWarnings(all: readonly StoredWarning[], at: number): StoredWarning[] {
  const ends = endings(all);
  return all.filter((warning) => {
    const span = spanOf(warning, ends);
    return span !== undefined && span.from <= at && at < span.to;
  });
}

/** The warnings in force at any time in [from, to). */
export function warningsInForce(all: readonly StoredWarning[], from: number, to: number): StoredWarning[] {
  const ends = endings(all);
  return all.filter((warning) => {
    const span = spanOf(warning, ends);
    return span !== undefined && span.from < to && from < span.to;
  });
}

const LEVEL_RANK: Record<WarningLevel, number> = { blue: 0, yellow: 1, orange: 2, red: 3 };
/** A cold-wave warning of level yellow or above: what raises a night's targets and switches on the cold-wave rules. */
export const isSevereColdWave = (warning: Pick<CapWarning, 'coldWave' | 'level'>) =>
  warning.coldWave && warning.level !== undefined && LEVEL_RANK[warning.level] >= LEVEL_RANK.yellow;
