import type { Condition, PlaceType, RiskLevel } from '../contract/vocabulary';

export interface RiskEvidence {
  people: { ageGroup: string; conditions: readonly Condition[] }[];
  placeType: PlaceType;
  observedAt: string;
  /** Air temperature in °C from a detection or the latest weather record, when known. */
  ambientTempC?: number;
  /** Body-surface temperature in °C from a thermal device, when known. */
  surfaceTempC?: number;
  /** A cold-wave warning of level yellow or above is in force: people outdoors are graded one level more urgent. */
  coldWave?: boolean;
}

export interface RiskAssessment {
  level: RiskLevel;
  score: number;
  reasons: string[];
}

// Weights follow the campaign's priorities: people who cannot protect themselves first, then exposure.
const CONDITION_WEIGHT: Record<Condition, number> = {
  unaccompanied_minor: 4,
  injured: 3,
  ill: 3,
  pregnant: 3,
  disabled: 2,
  mental_distress: 2,
  intoxicated: 2,
  inadequate_clothing: 2,
};
const AGE_WEIGHT: Record<string, number> = { child: 3, elderly: 2 };
const PLACE_WEIGHT: Partial<Record<PlaceType, number>> = {
  culvert: 2, bridge: 2, construction_site: 2, underpass: 1, park: 1,
};

/** Night hours in China Standard Time (UTC+8, no daylight saving), when the cold is worst and fewest pass by. */
const isNightInChina = (iso: string) => {
  const hour = (new Date(iso).getUTCHours() + 8) % 24;
  return hour >= 22 || hour < 6;
};

/** Places with a roof and walls (a bus station's waiting hall): a cold wave does not raise their grade. */
const SHELTERED: readonly PlaceType[] = ['transport_hub'];

/** Surface temperature below which a thermal reading suggests the body is losing the fight against the cold. */
export const HYPOTHERMIA_SURFACE_C = 30;

export function assessRisk(evidence: RiskEvidence): RiskAssessment {
  const reasons: string[] = [];
  let personScore = 0;
  let personReasons: string[] = [];
  for (const person of evidence.people) {
    const own: string[] = [];
    let score = AGE_WEIGHT[person.ageGroup] ?? 0;
    if (score > 0) own.push(person.ageGroup);
    for (const condition of person.conditions) {
      score += CONDITION_WEIGHT[condition];
      own.push(condition);
    }
    if (score > personScore) {
      personScore = score;
      personReasons = own;
    }
  }
  reasons.push(...personReasons);
  let score = personScore;

  const placeWeight = PLACE_WEIGHT[evidence.placeType] ?? 0;
  if (placeWeight > 0) reasons.push(`place:${evidence.placeType}`);
  score += placeWeight;

  if (evidence.people.length >= 3) {
    score += 1;
    reasons.push('group');
  }
  if (isNightInChina(evidence.observedAt)) {
    score += 1;
    reasons.push('night');
  }

  const air = evidence.ambientTempC;
  if (air !== undefined) {
    const cold = air <= -5 ? 3 : air <= 0 ? 2 : air <= 5 ? 1 : 0;
    if (cold > 0) reasons.push(`air:${air}C`);
    score += cold;
  }
  const hypothermic = evidence.surfaceTempC !== undefined && evidence.surfaceTempC < HYPOTHERMIA_SURFACE_C;
  if (hypothermic) {
    score += 3;
    reasons.push(`surface:${evidence.surfaceTempC}C`);
  }

  let level: RiskLevel = score >= 7 ? 'red' : score >= 4 ? 'orange' : score >= 2 ? 'yellow' : 'blue';
  // Floors that no arithmetic may lower: a child alone, or someone hurt or sick below freezing, or a cold body.
  const anyone = (c: Condition) => evidence.people.some((p) => p.conditions.includes(c));
  const freezing = air !== undefined && air <= 0;
  if (hypothermic || (freezing && (anyone('injured') || anyone('ill')))) level = 'red';
  else if (anyone('unaccompanied_minor') && level !== 'red') level = 'orange';
  if (evidence.coldWave && !SHELTERED.includes(evidence.placeType)) {
    level = oneLevelHigher(level);
    reasons.push('cold_wave');
  }
  return { level, score, reasons };
}

const ORDER: RiskLevel[] = ['blue', 'yellow', 'orange', 'red'];
export const higherRisk = (a: RiskLevel, b: RiskLevel): RiskLevel => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

/** One level more urgent (red stays red): for people seen in the cold again after their case was resolved. */
export const oneLevelHigher = (level: RiskLevel): RiskLevel => ORDER[Math.min(ORDER.length - 1, ORDER.indexOf(level) + 1)]!;
