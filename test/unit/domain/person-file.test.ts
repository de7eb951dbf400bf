import { describe, expect, it } from 'vitest';
import {
  anotherFollowUp, DEFAULT_PERSON_RULES, familySearchView, isMinor, type PersonFile, personDeadlines, ruleCareLevel, ruleGrade, startStay,
  workingDaysLater,
} from '#shared/domain/person-file';

const NOW = new Date('2026-12-02T14:00:00.000Z');
const file = (overrides: Partial<PersonFile> = {}): PersonFile => ({
  personId: 'per-01JH5Y3W8ZC3KQ7M4N2P6R9T0V', number: 'WM-20261202-R9T0V', identified: false, ageGroup: 'adult', sex: 'male', conditions: [],
  createdAt: NOW.toISOString(), createdBy: { sub: 'duty', role: 'station', stationId: 'station-nc' }, updatedAt: NOW.toISOString(),
  stations: ['station-nc'], encounters: [], grade: { level: 'green', reasons: [], set: 'rules', at: NOW.toISOString() }, stays: 0,
  familySearch: { status: 'not_started' }, followUps: [], photos: [], workflowGeneration: 0, version: 1, ...overrides,
});
const met = (daysAgo: number, kind: 'met' | 'declined_help' = 'met') => ({ at: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(), kind });

describe('grading (红黄蓝绿)', () => {
  it('an adult in good health never met outside is green; found once, still green; with a condition, blue', () => {
    expect(ruleGrade(file(), NOW).level).toBe('green');
    expect(ruleGrade(file({ encounters: [met(1)] }), NOW).level).toBe('green');
    expect(ruleGrade(file({ encounters: [met(1)], conditions: ['inadequate_clothing'] }), NOW).level).toBe('blue');
  });

  it('age, conditions, exposure and help declined add up to red', () => {
    const elderly = file({ ageGroup: 'elderly', estimatedAge: 74, conditions: ['ill'], encounters: [met(1)] });
    // 2 elderly + 1 over 70 + 2 ill + 1 found outside = 6.
    expect(ruleGrade(elderly, NOW)).toEqual({ level: 'red', reasons: ['elderly', 'aged_70_or_over', 'ill', 'found_outside'] });
    const declining = file({ encounters: [met(20, 'declined_help'), met(10, 'declined_help'), met(2)] });
    // 2 found outside three times in 30 days + 2 declined twice = 4.
    expect(ruleGrade(declining, NOW).level).toBe('yellow');
  });

  it('encounters older than 30 days are no longer exposure; a minor alone is at least yellow', () => {
    expect(ruleGrade(file({ encounters: [met(40), met(45), met(50)] }), NOW).reasons).not.toContain('found_outside_often');
    expect(ruleGrade(file({ ageGroup: 'child', conditions: ['unaccompanied_minor'] }), NOW).level).toBe('red');
    expect(ruleGrade(file({ ageGroup: 'child' }), NOW).level).toBe('blue');
  });
});

describe('care levels (分层分类救助)', () => {
  it('medical for the injured, ill or pregnant; special for minors, the elderly, disabled, distressed, intoxicated; else general', () => {
    expect(ruleCareLevel({ ageGroup: 'adult', conditions: ['injured'] })).toBe('medical');
    expect(ruleCareLevel({ ageGroup: 'elderly', conditions: ['ill'] })).toBe('medical');
    expect(ruleCareLevel({ ageGroup: 'child', conditions: [] })).toBe('special');
    expect(ruleCareLevel({ ageGroup: 'adult', estimatedAge: 63, conditions: [] })).toBe('special');
    expect(ruleCareLevel({ ageGroup: 'adult', conditions: ['mental_distress'] })).toBe('special');
    expect(ruleCareLevel({ ageGroup: 'adult', conditions: ['inadequate_clothing'] })).toBe('general');
    expect(isMinor({ ageGroup: 'unknown', estimatedAge: 16, conditions: [] })).toBe(true);
  });

  it('each level has its check interval, scaled like every deadline', () => {
    const at = NOW.toISOString();
    for (const [conditions, hours] of [[[], 12], [['disabled'], 4], [['injured'], 2]] as const) {
      const { stay } = startStay(file({ conditions: [...conditions] }), { stationId: 'station-nc', at }, DEFAULT_PERSON_RULES, 0.5);
      expect(Date.parse(stay.nextCheckAt) - NOW.getTime()).toBe(hours * 3_600_000 * 0.5);
    }
  });
});

describe('family-search deadlines', () => {
  it('unidentified at intake: notice in 24 h, DNA by the 7th working day, the 10-day mark', () => {
    // Wednesday 2 December 2026, 22:00 in Nanchang.
    const { familySearch } = startStay(file(), { stationId: 'station-nc', at: NOW.toISOString() }, DEFAULT_PERSON_RULES, 1);
    expect(familySearch.status).toBe('due');
    expect(familySearch.dueAt).toBe('2026-12-03T14:00:00.000Z');
    // Seven working days after Wed 2 Dec: Thu 3, Fri 4, Mon 7 … Fri 11 December, end of day in Nanchang.
    expect(familySearch.dna!.dueAt).toBe('2026-12-11T15:59:59.000Z');
    expect(familySearch.longTermAt).toBe('2026-12-12T14:00:00.000Z');
  });

  it('working days skip the Spring Festival holidays', () => {
    // Thursday 12 February 2026, before the Spring Festival (15–23 February off, Saturday 14 and 28 worked): 13, 14, 24,
    // 25, 26, 27, 28 February. Weekends alone would have made it Monday 23 February.
    expect(workingDaysLater('2026-02-12T02:00:00.000Z', 7).toISOString()).toBe('2026-02-28T15:59:59.000Z');
    expect(workingDaysLater('2026-03-12T02:00:00.000Z', 7).toISOString()).toBe('2026-03-23T15:59:59.000Z');
  });

  it('identified at intake: not needed; an earlier published notice stands on a second stay', () => {
    expect(startStay(file({ identified: true, name: '老周' }), { stationId: 's', at: NOW.toISOString() }, DEFAULT_PERSON_RULES, 1).familySearch.status).toBe('not_needed');
    const published = { status: 'published' as const, publishedAt: '2026-11-01T00:00:00.000Z' };
    expect(startStay(file({ familySearch: published }), { stationId: 's', at: NOW.toISOString() }, DEFAULT_PERSON_RULES, 1).familySearch).toEqual(published);
  });

  it('past its deadline the notice reads overdue, and the workflow has the duty officer then the coordinator to tell', () => {
    const { stay, familySearch } = startStay(file(), { stationId: 'station-nc', at: NOW.toISOString() }, DEFAULT_PERSON_RULES, 1);
    const taken = file({ stay, familySearch });
    expect(familySearchView(familySearch, new Date(NOW.getTime() + 25 * 3_600_000)).status).toBe('overdue');
    expect(personDeadlines(taken, DEFAULT_PERSON_RULES, 1).map((d) => d.kind)).toEqual(['care_check', 'notice', 'dna', 'long_term']);
    const told = file({ stay, familySearch: { ...familySearch, escalations: 1 } });
    const coordinator = personDeadlines(told, DEFAULT_PERSON_RULES, 1).find((d) => d.kind === 'notice_coordinator')!;
    expect(Date.parse(coordinator.at) - Date.parse(familySearch.dueAt!)).toBe(2 * 3_600_000);
    const published = file({ stay, familySearch: { ...familySearch, status: 'published' } });
    expect(personDeadlines(published, DEFAULT_PERSON_RULES, 1).map((d) => d.kind)).not.toContain('notice');
    const gone = file({ stay: { ...stay, dischargedAt: NOW.toISOString() }, familySearch });
    expect(personDeadlines(gone, DEFAULT_PERSON_RULES, 1)).toEqual([]);
  });

  it('follow-ups: red and yellow up to the limit, blue and green once', () => {
    expect(anotherFollowUp('red', 2, DEFAULT_PERSON_RULES)).toBe(true);
    expect(anotherFollowUp('red', 3, DEFAULT_PERSON_RULES)).toBe(false);
    expect(anotherFollowUp('green', 0, DEFAULT_PERSON_RULES)).toBe(true);
    expect(anotherFollowUp('blue', 1, DEFAULT_PERSON_RULES)).toBe(false);
  });
});
