import { describe, expect, it } from 'vitest';
import { acknowledgementDeadline, DEFAULT_ACK_MINUTES, secondsUntil } from '#shared/domain/alert-policy';
import { alertTargetFor, COORDINATOR_TARGET, type RoutingDirectory } from '#shared/domain/alert-routing';

const FROM = new Date('2026-01-12T14:41:00.000Z');
const minutesAfter = (d: Date, later: Date) => (later.getTime() - d.getTime()) / 60_000;

describe('acknowledgementDeadline', () => {
  it.each([['red', 5], ['orange', 15], ['yellow', 60], ['blue', 240]] as const)('gives a %s alert %i minutes', (risk, minutes) => {
    expect(DEFAULT_ACK_MINUTES[risk]).toBe(minutes);
    expect(minutesAfter(FROM, acknowledgementDeadline(risk, FROM, 1))).toBe(minutes);
  });

  it('multiplies the wait by the time scale', () => {
    // 5 minutes × 0.001 = 300 ms.
    expect(acknowledgementDeadline('red', FROM, 0.001).getTime() - FROM.getTime()).toBe(300);
    expect(minutesAfter(FROM, acknowledgementDeadline('orange', FROM, 2))).toBe(30);
  });

  it('uses the minutes it is given instead of the defaults', () => {
    const ackMinutes = { red: 2, orange: 10, yellow: 30, blue: 120 };
    expect(minutesAfter(FROM, acknowledgementDeadline('red', FROM, 1, ackMinutes))).toBe(2);
    expect(minutesAfter(FROM, acknowledgementDeadline('blue', FROM, 0.5, ackMinutes))).toBe(60);
  });

  it('does not change the date it was given', () => {
    const from = new Date(FROM);
    acknowledgementDeadline('red', from, 1);
    expect(from.getTime()).toBe(FROM.getTime());
  });
});

describe('secondsUntil', () => {
  const deadline = '2026-01-12T14:46:00.000Z';
  const before = (ms: number) => new Date(Date.parse(deadline) - ms);

  it('counts whole seconds, rounding up', () => {
    expect(secondsUntil(deadline, before(300_000))).toBe(300);
    expect(secondsUntil(deadline, before(1_200))).toBe(2);
    expect(secondsUntil(deadline, before(59_001))).toBe(60);
  });

  it('is never less than one second', () => {
    expect(secondsUntil(deadline, before(1))).toBe(1);
    expect(secondsUntil(deadline, before(0))).toBe(1);
  });

  it('is one second when the deadline has passed', () => {
    expect(secondsUntil(deadline, before(-10_000))).toBe(1);
    expect(secondsUntil(deadline, new Date('2027-01-01T00:00:00Z'))).toBe(1);
  });

  it('reads a deadline written with an offset as the same instant', () => {
    expect(secondsUntil('2026-01-12T22:46:00+08:00', before(90_000))).toBe(90);
  });
});

describe('alertTargetFor', () => {
  // Nanchang: the case is at the 八一大桥 north ramp.
  const where = { lat: 28.6829, lon: 115.8579 };
  const near = { lat: 28.6835, lon: 115.8585 };
  const middle = { lat: 28.70, lon: 115.88 };
  const far = { lat: 28.80, lon: 116.00 };

  const team = (teamId: string, location: { lat: number; lon: number }, onDuty = true) =>
    ({ teamId, name: `Team ${teamId}`, stationId: 'st-1', location, onDuty });
  const station = (stationId: string, location: { lat: number; lon: number }) => ({ stationId, name: `Station ${stationId}`, location });

  const directory: RoutingDirectory = {
    teams: [team('team-far', far), team('team-near', near), team('team-middle', middle)],
    stations: [station('st-far', far), station('st-near', near)],
  };

  it('asks the nearest team on duty on rung 0', () => {
    expect(alertTargetFor(0, where, directory)).toEqual({
      rung: 0, target: { kind: 'team', id: 'team-near', name: 'Team team-near' },
    });
  });

  it('ignores teams that are off duty, however near', () => {
    const offDuty = { ...directory, teams: [team('team-near', near, false), team('team-middle', middle), team('team-far', far)] };
    expect(alertTargetFor(0, where, offDuty).target.id).toBe('team-middle');
  });

  it('asks another team, the next nearest on duty, on rung 1', () => {
    expect(alertTargetFor(1, where, directory)).toEqual({
      rung: 1, target: { kind: 'team', id: 'team-middle', name: 'Team team-middle' },
    });
  });

  it('asks the nearest station on rung 2', () => {
    expect(alertTargetFor(2, where, directory)).toEqual({
      rung: 2, target: { kind: 'station', id: 'st-near', name: 'Station st-near' },
    });
  });

  it('asks the coordinator on rung 3', () => {
    expect(alertTargetFor(3, where, directory)).toEqual({ rung: 3, target: COORDINATOR_TARGET });
  });

  it('skips the second team rung when only one team is on duty', () => {
    const one = { ...directory, teams: [team('team-near', near)] };
    expect(alertTargetFor(1, where, one)).toEqual({
      rung: 2, target: { kind: 'station', id: 'st-near', name: 'Station st-near' },
    });
  });

  it('falls through to the nearest station when no team is on duty', () => {
    const noneOnDuty = { ...directory, teams: directory.teams.map((t) => ({ ...t, onDuty: false })) };
    expect(alertTargetFor(0, where, noneOnDuty)).toEqual({
      rung: 2, target: { kind: 'station', id: 'st-near', name: 'Station st-near' },
    });
  });

  it('falls through to the coordinator when there is no team and no station', () => {
    expect(alertTargetFor(0, where, { teams: [], stations: [] })).toEqual({ rung: 3, target: COORDINATOR_TARGET });
    expect(alertTargetFor(2, where, { teams: directory.teams, stations: [] })).toEqual({ rung: 3, target: COORDINATOR_TARGET });
  });

  it('stays at the coordinator on rungs beyond the ladder', () => {
    for (const rung of [4, 5, 10]) {
      const { rung: asked, target } = alertTargetFor(rung, where, directory);
      expect(target).toEqual(COORDINATOR_TARGET);
      expect(asked).toBeGreaterThanOrEqual(3);
    }
  });
});
