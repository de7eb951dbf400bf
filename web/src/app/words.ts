import { fill, type Messages } from './messages';

/** Words about cases shared by the pages; DOM-free, so that node tests can use it. */
export { fill };

export interface ReasonWords {
  group: string; night: string; air: string; surface: string; seenAgain: string;
  ageGroup: Record<string, string>; condition: Record<string, string>; place: Record<string, string>;
}

export const reasonWordsOf = (m: Messages): ReasonWords =>
  ({ ...m.riskReason, ageGroup: m.ageGroup, condition: m.condition, place: m.place });

/** A risk reason code of the triage (shared/domain/risk.ts: 'elderly', 'ill', 'place:bridge', 'air:-3C' …) in words. */
export function riskReasonText(reason: string, words: ReasonWords): string {
  const [kind, value = ''] = reason.split(':', 2);
  if (kind === 'place') return words.place[value] ?? value;
  if (kind === 'air' || kind === 'surface') return fill(words[kind], { value: value.replace(/C$/, '') });
  if (kind === 'group' || kind === 'night' || kind === 'seenAgain') return words[kind];
  if (reason === 'seen_again_after_resolution') return words.seenAgain;
  return words.ageGroup[reason] ?? words.condition[reason] ?? reason;
}
