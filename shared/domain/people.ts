import type { Person } from '../contract/schemas';
import { CONDITIONS } from '../contract/vocabulary';

/**
 * Who the people of a case are, across every report of them. Reports of one place describe the same people, often
 * less well the second time ("age unknown" from a passer-by after a patrol saw an elderly man): each person keeps the
 * most specific description any report gave. A later report's person is matched to one already described whose age
 * group and sex do not contradict it (the closest match first); one who matches nobody is someone more. A report
 * whose people were erased (retention, or on request) describes nobody.
 */
export function mergedPeople(reports: readonly { observedAt: string; people?: readonly Person[] }[]): Person[] {
  const merged: Person[] = [];
  for (const report of [...reports].sort((a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt))) {
    const matched = new Set<number>();
    for (const person of report.people ?? []) {
      let best = -1;
      let bestScore = -1;
      merged.forEach((known, index) => {
        if (matched.has(index) || !compatible(known, person)) return;
        const score = (known.ageGroup === person.ageGroup ? 2 : 0) + (known.sex === person.sex ? 1 : 0);
        if (score > bestScore) [best, bestScore] = [index, score];
      });
      if (best >= 0) {
        merged[best] = moreSpecific(merged[best]!, person);
        matched.add(best);
      } else {
        merged.push({ ...person, conditions: [...person.conditions] });
        matched.add(merged.length - 1);
      }
    }
  }
  return merged;
}

const agree = (a: string, b: string) => a === b || a === 'unknown' || b === 'unknown';
const compatible = (a: Person, b: Person) => agree(a.ageGroup, b.ageGroup) && agree(a.sex, b.sex);

/** What is known of one person from two descriptions: a known age group or sex over unknown, every condition seen. */
function moreSpecific(a: Person, b: Person): Person {
  const seen = new Set([...a.conditions, ...b.conditions]);
  return {
    ageGroup: a.ageGroup !== 'unknown' ? a.ageGroup : b.ageGroup,
    sex: a.sex !== 'unknown' ? a.sex : b.sex,
    conditions: CONDITIONS.filter((condition) => seen.has(condition)),
  };
}
