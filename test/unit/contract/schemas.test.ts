import { CONTRACT_SIGHTING_EXAMPLE } from '#shared/contract/examples';
import { describe, expect, it } from 'vitest';
import { CaseAction, CreateSightingRequest, ListCasesQuery, MAX_CLOCK_SKEW_MS } from '#shared/contract/schemas';

const CONTRACT_EXAMPLE = CONTRACT_SIGHTING_EXAMPLE;

const sighting = (overrides: Record<string, unknown> = {}) => ({ ...CONTRACT_EXAMPLE, ...overrides });
const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string; code: string }[] } }) =>
  result.error?.issues ?? [];

describe('CreateSightingRequest', () => {
  it("accepts the contract's example body unchanged", () => {
    const result = CreateSightingRequest.safeParse(CONTRACT_EXAMPLE);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(CONTRACT_EXAMPLE);
  });

  it('fills in the defaults of a person', () => {
    const parsed = CreateSightingRequest.parse(sighting({ people: [{}] }));
    expect(parsed.people).toEqual([{ ageGroup: 'unknown', sex: 'unknown', conditions: [] }]);
  });

  it('accepts UTC timestamps and timestamps a few minutes ahead (drifting phone clocks)', () => {
    expect(CreateSightingRequest.safeParse(sighting({ observedAt: '2026-01-12T14:41:00Z' })).success).toBe(true);
    const soon = new Date(Date.now() + MAX_CLOCK_SKEW_MS - 60_000).toISOString();
    expect(CreateSightingRequest.safeParse(sighting({ observedAt: soon })).success).toBe(true);
  });

  it.each([['2026-01-12T22:41:00'], ['2026-01-12 22:41'], ['12/01/2026 22:41'], ['yesterday']])('rejects the timestamp %s', (observedAt) => {
    const result = CreateSightingRequest.safeParse(sighting({ observedAt }));
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]?.path).toEqual(['observedAt']);
    expect(issuesOf(result)[0]?.message).toMatch(/offset/);
  });

  it('rejects a timestamp more than five minutes in the future', () => {
    const later = new Date(Date.now() + MAX_CLOCK_SKEW_MS + 60_000).toISOString();
    const result = CreateSightingRequest.safeParse(sighting({ observedAt: later }));
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]?.message).toMatch(/future/);
  });

  it.each([
    ['lat 91', { location: { lat: 91, lon: 115.8 } }, ['location', 'lat']],
    ['lat -90.5', { location: { lat: -90.5, lon: 115.8 } }, ['location', 'lat']],
    ['lon 181', { location: { lat: 28.6, lon: 181 } }, ['location', 'lon']],
    ['a negative accuracy', { location: { lat: 28.6, lon: 115.8, accuracyM: -1 } }, ['location', 'accuracyM']],
    ['a place type outside the list', { place: { type: 'rooftop' } }, ['place', 'type']],
    ['no people', { people: [] }, ['people']],
    ['21 people', { people: Array.from({ length: 21 }, () => ({ ageGroup: 'adult' })) }, ['people']],
    ['an unknown age group', { people: [{ ageGroup: 'teen' }] }, ['people', 0, 'ageGroup']],
    ['an unknown condition', { people: [{ conditions: ['cold'] }] }, ['people', 0, 'conditions', 0]],
    ['a condition listed twice', { people: [{ conditions: ['ill', 'injured', 'ill'] }] }, ['people', 0, 'conditions']],
    ['a team id with spaces', { teamId: 'team 07' }, ['teamId']],
  ])('rejects %s', (_label, overrides, path) => {
    const result = CreateSightingRequest.safeParse(sighting(overrides));
    expect(result.success).toBe(false);
    expect(issuesOf(result).map((i) => i.path)).toContainEqual(path);
  });

  it('accepts exactly 20 people', () => {
    expect(CreateSightingRequest.safeParse(sighting({ people: Array.from({ length: 20 }, () => ({})) })).success).toBe(true);
  });

  it('rejects unknown fields at the top and inside nested objects', () => {
    const top = CreateSightingRequest.safeParse(sighting({ priority: 'high' }));
    expect(top.success).toBe(false);
    expect(issuesOf(top)[0]?.code).toBe('unrecognized_keys');
    for (const overrides of [
      { location: { lat: 28.6, lon: 115.8, alt: 30 } },
      { place: { type: 'bridge', district: '东湖区' } },
      { people: [{ ageGroup: 'adult', name: '张三' }] },
    ]) {
      expect(CreateSightingRequest.safeParse(sighting(overrides)).success).toBe(false);
    }
  });

  it('requires the observation time, the location, the place and the people', () => {
    for (const field of ['observedAt', 'location', 'place', 'people']) {
      const { [field]: _dropped, ...rest } = CONTRACT_EXAMPLE as Record<string, unknown>;
      const result = CreateSightingRequest.safeParse(rest);
      expect(result.success).toBe(false);
      expect(issuesOf(result).map((i) => i.path)).toContainEqual([field]);
    }
  });
});

describe('CaseAction', () => {
  it.each([
    [{ type: 'acknowledge' }],
    [{ type: 'acknowledge', note: 'on our way' }],
    [{ type: 'arrive', location: { lat: 28.68, lon: 115.85 } }],
    [{ type: 'resolve', outcome: 'escorted_to_station' }],
    [{ type: 'resolve', outcome: 'declined_help', note: 'will revisit at 02:00' }],
    [{ type: 'intake', stationId: 'st-nc-1' }],
    [{ type: 'discharge', reason: 'reunited with his son' }],
    [{ type: 'note', text: 'brought a blanket' }],
  ])('accepts %j', (action) => {
    expect(CaseAction.parse(action)).toEqual(action);
  });

  it.each([
    ['arrive without a location', { type: 'arrive' }, ['location']],
    ['arrive with an impossible location', { type: 'arrive', location: { lat: 91, lon: 0 } }, ['location', 'lat']],
    ['resolve without an outcome', { type: 'resolve' }, ['outcome']],
    ['resolve with an unknown outcome', { type: 'resolve', outcome: 'gave_up' }, ['outcome']],
    ['intake without a station', { type: 'intake' }, ['stationId']],
    ['discharge without a reason', { type: 'discharge' }, ['reason']],
    ['discharge with a blank reason', { type: 'discharge', reason: '   ' }, ['reason']],
    ['a note without text', { type: 'note' }, ['text']],
    ['a note of spaces only', { type: 'note', text: '  ' }, ['text']],
  ])('rejects %s', (_label, action, path) => {
    const result = CaseAction.safeParse(action);
    expect(result.success).toBe(false);
    expect(issuesOf(result).map((i) => i.path)).toContainEqual(path);
  });

  it('rejects fields that belong to another action', () => {
    expect(CaseAction.safeParse({ type: 'acknowledge', outcome: 'not_found' }).success).toBe(false);
    expect(CaseAction.safeParse({ type: 'note', text: 'x', stationId: 'st-1' }).success).toBe(false);
  });

  it('rejects an unknown action type, naming the known ones', () => {
    const result = CaseAction.safeParse({ type: 'close' });
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]?.message).toContain('acknowledge');
    expect(issuesOf(result)[0]?.message).toContain('discharge');
  });
});

describe('ListCasesQuery', () => {
  it('defaults the limit to 50 and needs nothing else', () => {
    expect(ListCasesQuery.parse({})).toEqual({ limit: 50 });
  });

  it('reads the limit from the query string', () => {
    expect(ListCasesQuery.parse({ limit: '1' }).limit).toBe(1);
    expect(ListCasesQuery.parse({ limit: '500' }).limit).toBe(500);
  });

  it.each([['0'], ['501'], ['-3'], ['2.5'], ['lots']])('rejects the limit %s', (limit) => {
    const result = ListCasesQuery.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]?.path).toEqual(['limit']);
  });

  it('parses a bounding box into its four corners', () => {
    expect(ListCasesQuery.parse({ bbox: '115.80,28.60,115.95,28.75' }).bbox).toEqual({
      minLon: 115.8, minLat: 28.6, maxLon: 115.95, maxLat: 28.75,
    });
    expect(ListCasesQuery.parse({ bbox: '-180,-90,180,90' }).bbox).toEqual({ minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 });
  });

  it.each([
    ['min after max (longitude)', '115.95,28.60,115.80,28.75'],
    ['min after max (latitude)', '115.80,28.75,115.95,28.60'],
    ['latitude out of range', '115.80,-91,115.95,28.75'],
    ['longitude out of range', '115.80,28.60,181,28.75'],
    ['three numbers', '115.80,28.60,115.95'],
    ['five numbers', '115.80,28.60,115.95,28.75,1'],
    ['words', 'nanchang'],
    ['empty components', ',,,'],
    ['a missing component', '115.80,,115.95,28.75'],
  ])('rejects a bounding box with %s', (_label, bbox) => {
    const result = ListCasesQuery.safeParse({ bbox });
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]?.path).toEqual(['bbox']);
  });

  it('accepts status, risk and since from the vocabularies, and rejects others', () => {
    expect(ListCasesQuery.parse({ status: 'on_scene', risk: 'red', since: '2026-01-12T00:00:00+08:00' })).toMatchObject({
      status: 'on_scene', risk: 'red', since: '2026-01-12T00:00:00+08:00',
    });
    expect(ListCasesQuery.safeParse({ status: 'pending' }).success).toBe(false);
    expect(ListCasesQuery.safeParse({ risk: 'green' }).success).toBe(false);
    expect(ListCasesQuery.safeParse({ since: '2026-01-12' }).success).toBe(false);
    expect(ListCasesQuery.safeParse({ sort: 'asc' }).success).toBe(false);
  });
});
