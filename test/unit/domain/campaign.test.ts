import { describe, expect, it } from 'vitest';
import { campaignOf, isHolidayNight, isPublicHoliday, nightlyTarget, nightOf, nightWindow } from '#shared/domain/campaign';

describe('nights', () => {
  it('runs a night from 18:00 to 06:00 Shanghai, named after its evening', () => {
    expect(nightOf(Date.parse('2026-12-02T23:30:00+08:00'))).toBe('2026-12-02');
    expect(nightOf(Date.parse('2026-12-03T05:59:00+08:00'))).toBe('2026-12-02');
    expect(nightOf(Date.parse('2026-12-03T18:00:00+08:00'))).toBe('2026-12-03');
    const { start, end } = nightWindow('2026-12-31');
    expect(new Date(start).toISOString()).toBe('2026-12-31T10:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-12-31T22:00:00.000Z');
  });
});

describe('public holidays', () => {
  it('follows the published calendar: holidays, not weekends, not adjusted working days', () => {
    expect(isPublicHoliday('2026-10-01')).toBe(true);
    expect(isPublicHoliday('2026-02-17')).toBe(true);
    // A Saturday made a working day for the Spring Festival of 2026.
    expect(isPublicHoliday('2026-02-14')).toBe(false);
    // A plain weekend.
    expect(isPublicHoliday('2026-11-28')).toBe(false);
  });

  it('falls back to the statutory days for a year not yet published', () => {
    // 2027: New Year's Day, the Spring Festival's eve (5 Feb) to its third day (8 Feb), Qingming, Dragon Boat, Mid-Autumn.
    for (const day of ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-08', '2027-04-05', '2027-06-09', '2027-09-15', '2027-10-03']) {
      expect(isPublicHoliday(day), day).toBe(true);
    }
    for (const day of ['2027-02-04', '2027-02-09', '2027-03-06']) expect(isPublicHoliday(day), day).toBe(false);
  });

  it('raises the night of, and the night before, a holiday', () => {
    expect(isHolidayNight('2026-12-31')).toBe(true);
    expect(isHolidayNight('2027-01-01')).toBe(true);
    expect(isHolidayNight('2027-01-02')).toBe(false);
    expect(isHolidayNight('2026-12-02')).toBe(false);
  });
});

describe('nightly targets', () => {
  it('is 2 for high priority and 1 for normal, one more each for a cold wave and a holiday', () => {
    expect(nightlyTarget('high', { coldWave: false, holiday: false })).toBe(2);
    expect(nightlyTarget('normal', { coldWave: false, holiday: false })).toBe(1);
    expect(nightlyTarget('normal', { coldWave: true, holiday: false })).toBe(2);
    expect(nightlyTarget('high', { coldWave: true, holiday: true })).toBe(4);
  });
});

describe('the campaign', () => {
  it('runs 15 November to 15 March across the new year, counting its nights from 1', () => {
    expect(campaignOf('2026-11-14')).toBeUndefined();
    expect(campaignOf('2026-11-15')).toMatchObject({ from: '2026-11-15', to: '2027-03-15', night: 1 });
    expect(campaignOf('2027-01-01')).toMatchObject({ from: '2026-11-15', night: 48 });
    expect(campaignOf('2027-03-15')?.night).toBe(121);
    expect(campaignOf('2027-03-16')).toBeUndefined();
    expect(campaignOf('2026-07-01', { name: '夏季', from: '06-01', to: '08-31' })).toMatchObject({ from: '2026-06-01', to: '2026-08-31', night: 31 });
  });
});
