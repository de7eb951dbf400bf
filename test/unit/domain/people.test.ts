import { describe, expect, it } from 'vitest';
import type { Person } from '#shared/contract/schemas';
import { mergedPeople } from '#shared/domain/people';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 12, 14, minute)).toISOString();
const person = (ageGroup: Person['ageGroup'], sex: Person['sex'] = 'unknown', conditions: Person['conditions'] = []): Person =>
  ({ ageGroup, sex, conditions });

describe('the people of a case across its reports', () => {
  it('skips a report whose people were erased (retention), and describes the others', () => {
    expect(mergedPeople([
      { observedAt: at(0) },
      { observedAt: at(5), people: [person('elderly', 'male')] },
    ])).toEqual([person('elderly', 'male')]);
    expect(mergedPeople([{ observedAt: at(0) }])).toEqual([]);
  });

  it('keeps the elderly man a later, vaguer report calls "age unknown"', () => {
    const people = mergedPeople([
      { observedAt: at(0), people: [person('elderly', 'male', ['inadequate_clothing'])] },
      { observedAt: at(5), people: [person('unknown')] },
    ]);
    expect(people).toEqual([person('elderly', 'male', ['inadequate_clothing'])]);
  });

  it('adds what a later report knows: a sex, and conditions seen since', () => {
    const people = mergedPeople([
      { observedAt: at(0), people: [person('elderly', 'unknown', ['inadequate_clothing'])] },
      { observedAt: at(9), people: [person('unknown', 'male', ['ill'])] },
    ]);
    expect(people).toEqual([person('elderly', 'male', ['ill', 'inadequate_clothing'])]);
  });

  it('counts a person reported three times once, and a group at its largest', () => {
    const man = person('adult', 'male');
    expect(mergedPeople([1, 2, 3].map((m) => ({ observedAt: at(m), people: [man] })))).toHaveLength(1);
    const family = mergedPeople([
      { observedAt: at(1), people: [person('adult', 'female')] },
      { observedAt: at(2), people: [person('adult', 'female'), person('child', 'female', ['unaccompanied_minor'])] },
      { observedAt: at(3), people: [person('child')] },
    ]);
    expect(family).toEqual([person('adult', 'female'), person('child', 'female', ['unaccompanied_minor'])]);
  });

  it('matches the closest description first, and reads the reports in the order they were seen', () => {
    const people = mergedPeople([
      // Arrived late, seen first: the order of observation counts, not of arrival.
      { observedAt: at(8), people: [person('unknown', 'female'), person('elderly', 'male')] },
      { observedAt: at(1), people: [person('elderly', 'male', ['ill']), person('adult', 'female')] },
    ]);
    expect(people).toEqual([person('elderly', 'male', ['ill']), person('adult', 'female')]);
  });

  it('keeps someone who contradicts every description as another person', () => {
    const people = mergedPeople([
      { observedAt: at(0), people: [person('elderly', 'male')] },
      { observedAt: at(1), people: [person('child', 'female')] },
    ]);
    expect(people).toHaveLength(2);
  });
});
