import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
import {
  compareByRiskThenDeadline, countdownText, deskColumn, distanceKm, durationText, intakeTime, isEscalated, isOverdue, mayAct, mergeNewer, rankTeams,
} from '../../web/src/pages/station/desk-order';
import { reasonWordsOf, riskReasonText } from '../../web/src/app/words';

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;
const clock = (m: typeof zh | typeof en) => ({ ...m.station.countdown, ...m.station.duration });
const NOW = Date.parse('2026-01-12T22:00:00+08:00');
const at = (minutesFromNow: number) => new Date(NOW + minutesFromNow * 60_000).toISOString();

type Summary = Parameters<typeof compareByRiskThenDeadline>[0];
const summary = (over: Partial<Summary>): Summary => ({
  caseId: 'case-x', status: 'alerted', risk: 'yellow', location: { lat: 28.68, lon: 115.86 }, placeType: 'street',
  openedAt: at(-60), updatedAt: at(-5), lastSeenAt: at(-30), sightingCount: 1, detectionCount: 0, photoCount: 0, ...over,
});
const alert = (rung: number, kind: 'team' | 'station' | 'coordinator', deadline: string) =>
  ({ rung, target: { kind, id: kind === 'team' ? 'team-01' : 'station-nc' }, alertedAt: at(-10), deadline });

describe('station desk columns', () => {
  it('puts leads waiting for someone in incoming, taken ones in hand, escorts arriving, intakes in station', () => {
    expect(deskColumn({ status: 'unverified' })).toBe('incoming');
    expect(deskColumn({ status: 'open' })).toBe('incoming');
    expect(deskColumn({ status: 'alerted' })).toBe('incoming');
    expect(deskColumn({ status: 'acknowledged' })).toBe('inHand');
    expect(deskColumn({ status: 'on_scene' })).toBe('inHand');
    expect(deskColumn({ status: 'resolved', outcome: 'escorted_to_station' })).toBe('arriving');
    expect(deskColumn({ status: 'in_station' })).toBe('inStation');
  });

  it('drops cases that are none of the desk\'s business', () => {
    expect(deskColumn({ status: 'resolved', outcome: 'declined_help' })).toBeUndefined();
    expect(deskColumn({ status: 'closed' })).toBeUndefined();
  });
});

describe('escalation and overdue', () => {
  it('calls a case escalated after the first rung, or when the alert waits for a station or the coordinator', () => {
    expect(isEscalated(summary({ alert: alert(0, 'team', at(10)) }))).toBe(false);
    expect(isEscalated(summary({ alert: alert(1, 'team', at(10)) }))).toBe(true);
    expect(isEscalated(summary({ alert: alert(0, 'station', at(10)) }))).toBe(true);
    expect(isEscalated(summary({ alert: alert(3, 'coordinator', at(10)) }))).toBe(true);
    expect(isEscalated(summary({}))).toBe(false);
  });

  it('is overdue when the deadline passed or the workflow counted a missed one', () => {
    expect(isOverdue(summary({ alert: alert(0, 'team', at(-1)) }), NOW)).toBe(true);
    expect(isOverdue(summary({ alert: alert(0, 'team', at(1)) }), NOW)).toBe(false);
    expect(isOverdue(summary({ due: { kind: 'arrival', since: at(-20), at: at(30), overdue: 1 } }), NOW)).toBe(true);
    expect(isOverdue(summary({}), NOW)).toBe(false);
  });
});

describe('order of the incoming list', () => {
  it('sorts red first, then by the nearest deadline, cases without one after, then the oldest', () => {
    const cases = [
      summary({ caseId: 'blue', risk: 'blue', alert: alert(0, 'team', at(1)) }),
      summary({ caseId: 'red-late', risk: 'red', alert: alert(0, 'team', at(20)) }),
      summary({ caseId: 'red-none', risk: 'red', status: 'open' }),
      summary({ caseId: 'red-soon', risk: 'red', alert: alert(0, 'team', at(2)) }),
      summary({ caseId: 'orange-old', risk: 'orange', status: 'open', openedAt: at(-90) }),
      summary({ caseId: 'orange-new', risk: 'orange', status: 'open', openedAt: at(-10) }),
    ];
    expect(cases.sort(compareByRiskThenDeadline).map((c) => c.caseId))
      .toEqual(['red-soon', 'red-late', 'red-none', 'orange-old', 'orange-new', 'blue']);
  });
});

describe('countdown words', () => {
  it('reads the minutes left, rounded up, and the minutes overdue', () => {
    expect(countdownText(at(11.2), NOW, clock(zh))).toBe('还剩 12 分钟');
    expect(countdownText(at(-3), NOW, clock(zh))).toBe('已超时 3 分钟');
    expect(countdownText(at(-0.2), NOW, clock(zh))).toBe('已超时 1 分钟');
    expect(countdownText(at(12), NOW, clock(en))).toBe('12 min left');
    expect(countdownText(at(-3), NOW, clock(en))).toBe('Overdue by 3 min');
  });

  it('switches to hours past two hours and to days past two days', () => {
    expect(durationText(119, zh.station.duration)).toBe('119 分钟');
    expect(durationText(185, zh.station.duration)).toBe('3 小时 5 分钟');
    expect(durationText(3 * 1440 + 150, zh.station.duration)).toBe('3 天 2 小时');
    expect(countdownText(at(240), NOW, clock(zh))).toBe('还剩 4 小时 0 分钟');
  });
});

describe('teams for a dispatch', () => {
  const place = { lat: 28.6829, lon: 115.8579 };
  it('measures great-circle kilometres to one decimal', () => {
    expect(distanceKm(place, place)).toBe(0);
    // 0.01° of latitude is about 1.11 km.
    expect(distanceKm(place, { lat: place.lat + 0.01, lon: place.lon })).toBe(1.1);
  });

  it('lists the teams on duty first, nearest first, and teams with no known place last', () => {
    const ranked = rankTeams([
      { teamId: 'far', onDuty: true, location: { lat: 28.72, lon: 115.95 } },
      { teamId: 'off-near', onDuty: false, location: { lat: 28.683, lon: 115.858 } },
      { teamId: 'nowhere', onDuty: true },
      { teamId: 'near', onDuty: true, location: { lat: 28.69, lon: 115.86 } },
    ], place);
    expect(ranked.map((t) => t.teamId)).toEqual(['near', 'far', 'nowhere', 'off-near']);
    expect(ranked[0]!.distanceKm).toBe(0.8);
    expect(ranked[2]!.distanceKm).toBeUndefined();
  });
});

describe('station stay and risk words', () => {
  it('takes the latest intake of the timeline as the time the person came in', () => {
    expect(intakeTime([
      { at: at(-300), type: 'intake' }, { at: at(-200), type: 'discharged' }, { at: at(-50), type: 'intake' }, { at: at(-10), type: 'note' },
    ])).toBe(at(-50));
    expect(intakeTime([{ at: at(-10), type: 'opened' }])).toBeUndefined();
  });

  it('puts the triage reason codes into words', () => {
    const words = reasonWordsOf(zh);
    expect(['elderly', 'ill', 'place:bridge', 'night', 'air:-3C', 'surface:28.5C', 'something_new'].map((r) => riskReasonText(r, words)))
      .toEqual(['老人', '生病', '桥梁', '夜间', '气温 -3℃', '体表温度 28.5℃', 'something_new']);
  });
});

describe('keeping the desk current', () => {
  it('keeps the newer summary of a case, whichever arrives last', () => {
    const older = summary({ caseId: 'c', status: 'alerted', updatedAt: at(-5) });
    const newer = summary({ caseId: 'c', status: 'acknowledged', updatedAt: at(-1) });
    expect(mergeNewer(mergeNewer(new Map(), newer), older).get('c')!.status).toBe('acknowledged');
    expect(mergeNewer(mergeNewer(new Map(), older), newer).get('c')!.status).toBe('acknowledged');
  });

  it('lets the duty officer act and the coordinator only watch and write notes', () => {
    expect(mayAct('station', 'acknowledge')).toBe(true);
    expect(mayAct('station', 'intake')).toBe(true);
    expect(mayAct('coordinator', 'acknowledge')).toBe(false);
    expect(mayAct('coordinator', 'note')).toBe(true);
    expect(mayAct('admin', 'discharge')).toBe(true);
  });
});
