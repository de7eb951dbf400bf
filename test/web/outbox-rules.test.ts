import { describe, expect, it } from 'vitest';
import { CaseAction, CreateSightingRequest } from '#shared/contract/schemas';
import {
  actionAlreadyDone, actionBody, isStale, photoUploadKey, retryDelayMs, SENT_KEPT_MS, sightingBody,
  type SightingDraft, uploadUrlExpired, verdictOf,
} from '../../web/src/outbox/outbox-rules';
import { shanghaiIso } from '#shared/domain/shanghai-clock';

const draft: SightingDraft = {
  observedAt: Date.parse('2026-01-12T14:41:07.345Z'),
  location: { lat: 28.682912345678, lon: 115.857912345678, accuracyM: 12.6 },
  placeType: 'bridge',
  placeName: '  八一大桥北引桥  ',
  people: 2,
  ageGroup: 'elderly',
  conditions: ['ill', 'inadequate_clothing', 'ill'],
  note: '桥下睡觉，有反应',
  teamId: 'team-01',
};

describe('retryDelayMs', () => {
  it('waits 5 s after the first failure, doubling, and never more than 2 min', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000]);
  });
});

describe('verdictOf', () => {
  it('retries when nothing answered, on timeouts, throttling and server faults', () => {
    expect(verdictOf({ kind: 'offline' })).toBe('retry');
    for (const status of [408, 429, 500, 502, 503, 504]) expect(verdictOf({ kind: 'http', status })).toBe('retry');
  });

  it('fails, for the member to see, on any other refusal', () => {
    for (const status of [400, 403, 404, 409, 413, 422]) expect(verdictOf({ kind: 'http', status })).toBe('failed');
  });

  it('waits for a new sign-in when the token expired, rather than failing the report', () => {
    expect(verdictOf({ kind: 'http', status: 401 })).toBe('signed-out');
  });
});

describe('shanghaiIso (the outbox\'s timestamps)', () => {
  it('writes RFC 3339 on the +08:00 clock, to the second', () => {
    expect(shanghaiIso(Date.parse('2026-01-12T14:41:07.345Z'))).toBe('2026-01-12T22:41:07+08:00');
    expect(shanghaiIso(new Date('2026-01-12T20:00:00Z'))).toBe('2026-01-13T04:00:00+08:00');
  });
});

describe('sightingBody', () => {
  it('is a valid CreateSightingRequest', () => {
    const parsed = CreateSightingRequest.safeParse(JSON.parse(sightingBody(draft)));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('applies the age group and conditions to every person, conditions once each in a fixed order', () => {
    const body = JSON.parse(sightingBody(draft));
    expect(body.people).toEqual([
      { ageGroup: 'elderly', conditions: ['ill', 'inadequate_clothing'] },
      { ageGroup: 'elderly', conditions: ['ill', 'inadequate_clothing'] },
    ]);
    expect(JSON.parse(sightingBody({ ...draft, conditions: ['inadequate_clothing', 'ill'] })).people).toEqual(body.people);
  });

  it('rounds the position, trims the words and leaves out what is empty', () => {
    const body = JSON.parse(sightingBody({ ...draft, placeName: '  ', note: '' }));
    expect(body.location).toEqual({ lat: 28.682912, lon: 115.857912, accuracyM: 13 });
    expect(body.place).toEqual({ type: 'bridge' });
    expect(body).not.toHaveProperty('note');
    expect(JSON.parse(sightingBody(draft)).place.name).toBe('八一大桥北引桥');
  });

  it('keeps people between 1 and 20', () => {
    expect(JSON.parse(sightingBody({ ...draft, people: 0 })).people).toHaveLength(1);
    expect(JSON.parse(sightingBody({ ...draft, people: 35 })).people).toHaveLength(20);
  });

  it('is the same text after a round trip through JSON, as the sender sends it on every retry', () => {
    const stored = sightingBody(draft);
    expect(JSON.stringify(JSON.parse(stored))).toBe(stored);
    expect(sightingBody(draft)).toBe(stored);
  });
});

describe('actionBody', () => {
  const fix = { lat: 28.68, lon: 115.85, accuracyM: 9 };

  it('makes valid actions', () => {
    const bodies = [
      actionBody({ type: 'acknowledge' }),
      actionBody({ type: 'arrive', location: fix }),
      actionBody({ type: 'resolve', outcome: 'medical_handover', handover: { to: '120 急救车 赣A-1234', place: ' ', at: Date.parse('2026-01-12T15:00:00Z') }, location: fix }),
      actionBody({ type: 'resolve', outcome: 'declined_help', handedOver: ['棉被', ' 热食 '], note: '明晚回访' }),
      actionBody({ type: 'resolve', outcome: 'not_found' }),
    ];
    for (const body of bodies) {
      const parsed = CaseAction.safeParse(JSON.parse(body));
      expect(parsed.success, `${body}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(JSON.stringify(JSON.parse(body))).toBe(body);
    }
    expect(JSON.parse(bodies[2]!).handover).toEqual({ to: '120 急救车 赣A-1234', at: '2026-01-12T23:00:00+08:00' });
    expect(JSON.parse(bodies[3]!).handedOver).toEqual(['棉被', '热食']);
  });

  it('sends a handover only with medical_handover, and what was handed over only with declined_help', () => {
    const body = JSON.parse(actionBody({ type: 'resolve', outcome: 'not_found', handover: { to: 'x' }, handedOver: ['棉被'] }));
    expect(body).toEqual({ type: 'resolve', outcome: 'not_found' });
  });
});

describe('actionAlreadyDone (a 409 on a resend)', () => {
  it('is done when the case is where the action leads, for this team', () => {
    expect(actionAlreadyDone({ type: 'acknowledge' }, { status: 'acknowledged', assignedTeamId: 'team-01' }, 'team-01')).toBe(true);
    expect(actionAlreadyDone({ type: 'acknowledge' }, { status: 'on_scene', assignedTeamId: 'team-01' }, 'team-01')).toBe(true);
    expect(actionAlreadyDone({ type: 'arrive' }, { status: 'on_scene', assignedTeamId: 'team-01' }, 'team-01')).toBe(true);
    expect(actionAlreadyDone({ type: 'resolve', outcome: 'declined_help' }, { status: 'resolved', outcome: 'declined_help' }, 'team-01')).toBe(true);
  });

  it('is a real refusal when another team took the case, it is not there yet, or it ended otherwise', () => {
    expect(actionAlreadyDone({ type: 'acknowledge' }, { status: 'acknowledged', assignedTeamId: 'team-02' }, 'team-01')).toBe(false);
    expect(actionAlreadyDone({ type: 'arrive' }, { status: 'acknowledged', assignedTeamId: 'team-01' }, 'team-01')).toBe(false);
    expect(actionAlreadyDone({ type: 'resolve', outcome: 'declined_help' }, { status: 'resolved', outcome: 'false_alarm' }, 'team-01')).toBe(false);
    expect(actionAlreadyDone({ type: 'acknowledge' }, { status: 'closed' }, undefined)).toBe(false);
  });
});

describe('uploads', () => {
  it('uses one key per photo, and a new one for each renewal', () => {
    expect(photoUploadKey('k', 0, 0)).toBe('k/photo/0');
    expect(photoUploadKey('k', 2, 1)).toBe('k/photo/2/renewal/1');
    expect(photoUploadKey(crypto.randomUUID(), 19, 99).length).toBeLessThanOrEqual(128);
  });

  it('does not start an upload with a URL about to expire', () => {
    const now = Date.parse('2026-01-12T14:00:00Z');
    expect(uploadUrlExpired('2026-01-12T14:15:00Z', now)).toBe(false);
    expect(uploadUrlExpired('2026-01-12T14:00:30Z', now)).toBe(true);
    expect(uploadUrlExpired('2026-01-12T13:10:00Z', now)).toBe(true);
    expect(uploadUrlExpired('not a time', now)).toBe(true);
  });
});

describe('isStale', () => {
  it('drops sent items after a day, never waiting or failed ones', () => {
    const now = Date.now();
    expect(isStale({ state: 'sent', sentAt: now - SENT_KEPT_MS - 1 }, now)).toBe(true);
    expect(isStale({ state: 'sent', sentAt: now - 1000 }, now)).toBe(false);
    expect(isStale({ state: 'failed', sentAt: 0 }, now)).toBe(false);
    expect(isStale({ state: 'pending' }, now)).toBe(false);
  });
});
