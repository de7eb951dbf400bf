import { describe, expect, it } from 'vitest';
import {
  campaignChartRange, campaignEnd, campaignStart, nightChartRange, windowRange,
} from '../../web/src/pages/coordinator/time-window';
import { DEFAULT_FILTER, filterCases, sortCases } from '../../web/src/pages/coordinator/case-filter';
import { nightStart, shanghaiIso } from '#shared/domain/shanghai-clock';

const at = (iso: string) => Date.parse(iso);

describe('the night', () => {
  it('starts at 18:00 Shanghai today after 18:00, and yesterday before', () => {
    expect(shanghaiIso(nightStart(at('2026-11-22T22:41:00+08:00')))).toBe('2026-11-22T18:00:00+08:00');
    expect(shanghaiIso(nightStart(at('2026-11-22T18:00:00+08:00')))).toBe('2026-11-22T18:00:00+08:00');
    expect(shanghaiIso(nightStart(at('2026-11-23T02:10:00+08:00')))).toBe('2026-11-22T18:00:00+08:00');
    expect(shanghaiIso(nightStart(at('2026-11-22T17:59:59+08:00')))).toBe('2026-11-21T18:00:00+08:00');
  });

  it('is charted from 18:00 to 08:00, or on to the current hour', () => {
    const night = nightChartRange(at('2026-11-22T22:41:00+08:00'));
    expect([shanghaiIso(night.from), shanghaiIso(night.to)]).toEqual(['2026-11-22T18:00:00+08:00', '2026-11-23T08:00:00+08:00']);
    const afternoon = nightChartRange(at('2026-11-23T14:20:00+08:00'));
    expect(shanghaiIso(afternoon.to)).toBe('2026-11-23T15:00:00+08:00');
  });
});

describe('the campaign', () => {
  it('started on 15 Nov of this season: this year from 15 Nov on, else last year', () => {
    expect(shanghaiIso(campaignStart(at('2026-11-22T22:00:00+08:00')))).toBe('2026-11-15T00:00:00+08:00');
    expect(shanghaiIso(campaignStart(at('2026-11-15T00:00:00+08:00')))).toBe('2026-11-15T00:00:00+08:00');
    expect(shanghaiIso(campaignStart(at('2026-11-14T23:59:00+08:00')))).toBe('2025-11-15T00:00:00+08:00');
    expect(shanghaiIso(campaignStart(at('2027-01-12T22:00:00+08:00')))).toBe('2026-11-15T00:00:00+08:00');
  });

  it('ends after 15 Mar; out of season the window is the last campaign, whole', () => {
    expect(shanghaiIso(campaignEnd(at('2026-11-15T00:00:00+08:00')))).toBe('2027-03-16T00:00:00+08:00');
    expect(windowRange('campaign', at('2027-01-12T22:00:00+08:00')).to).toBeUndefined();
    const summer = windowRange('campaign', at('2027-07-01T12:00:00+08:00'));
    expect([shanghaiIso(summer.from), shanghaiIso(summer.to!)]).toEqual(['2026-11-15T00:00:00+08:00', '2027-03-16T00:00:00+08:00']);
  });

  it('is charted by day to the end of today', () => {
    const range = campaignChartRange(at('2026-11-22T22:00:00+08:00'));
    expect([shanghaiIso(range.from), shanghaiIso(range.to)]).toEqual(['2026-11-15T00:00:00+08:00', '2026-11-23T00:00:00+08:00']);
  });
});

describe('the filter', () => {
  const NOW = at('2026-11-22T23:00:00+08:00');
  type CaseSummary = Parameters<typeof filterCases>[0] extends Iterable<infer C> ? C : never;
  const summary = (caseId: string, over: Partial<CaseSummary>): CaseSummary => ({
    caseId, status: 'alerted', risk: 'yellow', location: { lat: 28.68, lon: 115.87 }, placeType: 'street',
    openedAt: '2026-11-22T21:00:00+08:00', updatedAt: '2026-11-22T21:00:00+08:00', lastSeenAt: '2026-11-22T21:00:00+08:00',
    sightingCount: 1, detectionCount: 0, photoCount: 0, ...over,
  });
  const cases = [
    summary('a', { risk: 'red', openedAt: '2026-11-22T19:00:00+08:00' }),
    summary('b', { risk: 'blue', status: 'resolved', openedAt: '2026-11-22T22:00:00+08:00' }),
    summary('c', { risk: 'red', openedAt: '2026-11-22T22:30:00+08:00' }),
    summary('d', { risk: 'orange', openedAt: '2026-11-22T17:00:00+08:00' }),
  ];

  it('keeps the cases opened in the window, of the risks and statuses chosen', () => {
    expect(filterCases(cases, DEFAULT_FILTER, NOW).map((c) => c.caseId)).toEqual(['a', 'b', 'c']);
    expect(filterCases(cases, { ...DEFAULT_FILTER, window: 'day' }, NOW).map((c) => c.caseId)).toEqual(['a', 'b', 'c', 'd']);
    expect(filterCases(cases, { ...DEFAULT_FILTER, risks: ['red'] }, NOW).map((c) => c.caseId)).toEqual(['a', 'c']);
    expect(filterCases(cases, { ...DEFAULT_FILTER, statuses: 'active' }, NOW).map((c) => c.caseId)).toEqual(['a', 'c']);
    expect(filterCases(cases, { ...DEFAULT_FILTER, statuses: 'done' }, NOW).map((c) => c.caseId)).toEqual(['b']);
  });

  it('sorts red first and newest first within a risk, or newest first', () => {
    expect(sortCases(cases, 'risk').map((c) => c.caseId)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortCases(cases, 'time').map((c) => c.caseId)).toEqual(['c', 'b', 'a', 'd']);
  });
});
