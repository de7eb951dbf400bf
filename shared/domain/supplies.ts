/**
 * A station's reserve of supplies against the weather (「根据天气变化情况，合理储备救助物资」): what it has, and what it
 * should hold tonight, which rises with the people in its care and with a cold wave in force.
 */
export const SUPPLY_KINDS = ['quilts', 'cotton_coats', 'hot_meals', 'medicine_kits'] as const;
export type SupplyKind = (typeof SUPPLY_KINDS)[number];
export type SupplyCounts = Record<SupplyKind, number>;

export const SUPPLY_WORDS: Record<SupplyKind, string> = { quilts: '棉被', cotton_coats: '棉衣', hot_meals: '热食（份）', medicine_kits: '常用药包' };

export interface ReserveRules {
  /** Held whatever the night: for the people the patrols may bring in. */
  base: SupplyCounts;
  /** Held besides for each person in the station's care now. */
  perPerson: SupplyCounts;
  /** The whole reserve is multiplied by this while a cold wave of level yellow or orange is in force… */
  coldWaveFactor: number;
  /** …and by this for a red one. */
  redColdWaveFactor: number;
}

export const DEFAULT_RESERVE_RULES: ReserveRules = {
  base: { quilts: 20, cotton_coats: 20, hot_meals: 30, medicine_kits: 10 },
  perPerson: { quilts: 1, cotton_coats: 1, hot_meals: 3, medicine_kits: 0.5 },
  coldWaveFactor: 1.5,
  redColdWaveFactor: 2,
};

/** The people a case in the station stands for: those registered at its intake, or one. */
export const peopleTakenIn = (c: { intakePeople?: readonly unknown[] }) => Math.max(1, c.intakePeople?.length ?? 0);

export function reserveTargets(peopleInCare: number, coldWave: 'none' | 'cold_wave' | 'red', rules: ReserveRules = DEFAULT_RESERVE_RULES): SupplyCounts {
  const factor = coldWave === 'red' ? rules.redColdWaveFactor : coldWave === 'cold_wave' ? rules.coldWaveFactor : 1;
  return Object.fromEntries(SUPPLY_KINDS.map((kind) => [kind, Math.ceil((rules.base[kind] + rules.perPerson[kind] * peopleInCare) * factor)])) as SupplyCounts;
}

/** The kinds short of their target, with how many are missing. */
export function shortfalls(stock: SupplyCounts, targets: SupplyCounts): { kind: SupplyKind; stock: number; target: number; short: number }[] {
  return SUPPLY_KINDS.filter((kind) => stock[kind] < targets[kind])
    .map((kind) => ({ kind, stock: stock[kind], target: targets[kind], short: targets[kind] - stock[kind] }));
}
