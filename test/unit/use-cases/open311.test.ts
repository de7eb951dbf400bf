import { describe, expect, it } from 'vitest';
import { CreateServiceRequestInput } from '#shared/contract/open311';
import { DomainError } from '#shared/domain/errors';
import type { HelpPoint } from '#shared/store/directory-store';
import type { Open311Record } from '#shared/store/open311-request-store';
import {
  ADDRESS_ONLY_ACCURACY_M, AT_HELP_POINT_ACCURACY_M, placeTypeFromText, requestWindow, serviceRequestView,
  sightingFromServiceRequest,
} from '#shared/use-cases/open311';

const HELP_POINT: HelpPoint = {
  helpPointId: 'hp-bayi-square', name: '八一广场福彩便民点', location: { lat: 28.6747, lon: 115.9069 }, apiKeyHash: 'x', stationId: 'station-nc',
};
const NOW = new Date('2026-01-12T14:41:00Z');
const input = (fields: Record<string, unknown>) => CreateServiceRequestInput.parse({ service_code: 'person_in_need', ...fields });

describe('placeTypeFromText', () => {
  it.each([
    ['八一大桥北引桥下有人', 'bridge'],
    ['排水涵洞里有人过夜', 'culvert'],
    ['under the bridge near the station', 'bridge'],
    ['中山路地下通道', 'underpass'],
    ['南昌站站前广场长椅', 'station_square'],
    ['火车站候车室外', 'transport_hub'],
    ['停工的工地里', 'construction_site'],
    ['人民公园门口', 'park'],
    ['胜利路步行街', 'street'],
    ['parking garage level 2', 'other'],
    ['', 'other'],
  ])('%s → %s', (text, type) => {
    expect(placeTypeFromText(text)).toBe(type);
  });
});

describe('sightingFromServiceRequest', () => {
  it('reports one person of unknown age, now, at the coordinates given, with the description in the note', () => {
    const { request, locationFrom } = sightingFromServiceRequest(
      input({ lat: '28.6829', long: '115.8579', description: '桥下有位老人', address_string: '八一大桥', media_url: 'https://img.example.cn/1.jpg' }),
      HELP_POINT, NOW,
    );
    expect(locationFrom).toBe('reporter');
    expect(request).toMatchObject({
      observedAt: NOW.toISOString(),
      location: { lat: 28.6829, lon: 115.8579 },
      place: { type: 'bridge', name: '八一大桥' },
      people: [{ ageGroup: 'unknown', sex: 'unknown', conditions: [] }],
    });
    expect(request.location.accuracyM).toBeUndefined();
    expect(request.note).toContain('桥下有位老人');
    expect(request.note).toContain('hp-bayi-square');
    expect(request.note).toContain('https://img.example.cn/1.jpg');
  });

  it('places an address-only report at the help point, with a wide accuracy, and says so in the note', () => {
    const { request, locationFrom } = sightingFromServiceRequest(input({ address_string: '青山湖排水涵洞' }), HELP_POINT, NOW);
    expect(locationFrom).toBe('help_point');
    expect(request.location).toEqual({ ...HELP_POINT.location, accuracyM: ADDRESS_ONLY_ACCURACY_M });
    expect(request.place).toEqual({ type: 'culvert', name: '青山湖排水涵洞' });
    expect(request.note).toMatch(/未定位.*青山湖排水涵洞/);
    expect(request.note).toMatch(/Not on a map: placed at the help point/);
  });

  it('puts someone asking for help for themself at the help point', () => {
    const { request } = sightingFromServiceRequest(
      CreateServiceRequestInput.parse({ service_code: 'ask_for_help', address_string: '八一广场' }), HELP_POINT, NOW,
    );
    expect(request.location.accuracyM).toBe(AT_HELP_POINT_ACCURACY_M);
    expect(request.note).toMatch(/The person is at the help point/);
  });

  it('clips what the sighting cannot hold: a 4000-character description, a long address', () => {
    const { request } = sightingFromServiceRequest(
      input({ lat: '28.6', long: '115.8', description: '冷'.repeat(4000), address_string: '路'.repeat(500) }), HELP_POINT, NOW,
    );
    expect(request.note).toHaveLength(2000);
    expect(request.note!.endsWith('…')).toBe(true);
    expect(request.place.name).toHaveLength(200);
  });
});

describe('serviceRequestView', () => {
  const record: Open311Record = {
    requestId: 'sig-01', helpPointId: 'hp-bayi-square', caseId: 'case-01', serviceCode: 'person_in_need',
    requestedAt: '2026-01-12T14:41:00.000Z', description: '桥下有位老人', addressString: '八一大桥',
    location: { lat: 28.6829, lon: 115.8579 }, locationFrom: 'reporter', mediaUrl: 'https://img.example.cn/1.jpg',
    reporter: { phone: '13800000000' },
  };

  it('shows the help point that filed it everything it sent, in Shanghai time', () => {
    const view = serviceRequestView(record, { status: 'alerted', updatedAt: '2026-01-12T14:42:00.000Z' }, 'reporter');
    expect(view).toMatchObject({
      service_request_id: 'sig-01', status: 'open', status_notes: expect.stringContaining('alerted'),
      description: '桥下有位老人', address: '八一大桥', lat: 28.6829, long: 115.8579, media_url: 'https://img.example.cn/1.jpg',
      requested_datetime: '2026-01-12T22:41:00+08:00', updated_datetime: '2026-01-12T22:42:00+08:00',
    });
    expect(JSON.stringify(view)).not.toContain('13800000000');
  });

  it('shows anyone else only the progress: no description, place, coordinates or media', () => {
    const view = serviceRequestView(record, { status: 'resolved', updatedAt: '2026-01-12T15:00:00.000Z' }, 'public');
    expect(view).toMatchObject({ status: 'closed', description: null, address: null, lat: null, long: null, media_url: null });
    expect(JSON.stringify(view)).not.toMatch(/28\.68|115\.85|八一|img\.example/);
  });

  it('gives no coordinates for a report placed at the help point, and is open while the case is unknown', () => {
    const view = serviceRequestView({ ...record, locationFrom: 'help_point' }, undefined, 'reporter');
    expect(view).toMatchObject({ status: 'open', lat: null, long: null, address: '八一大桥', updated_datetime: '2026-01-12T22:41:00+08:00' });
  });
});

describe('requestWindow', () => {
  const day = 86_400_000;
  it('is the most recent 90 days by default', () => {
    expect(requestWindow({}, NOW)).toEqual({ from: new Date(NOW.getTime() - 90 * day).toISOString(), to: NOW.toISOString() });
  });

  it('runs 90 days from a start date alone, and back 90 days from an end date alone', () => {
    expect(requestWindow({ start_date: '2025-12-01T00:00:00+08:00' }, NOW))
      .toEqual({ from: '2025-11-30T16:00:00.000Z', to: new Date(Date.parse('2025-11-30T16:00:00Z') + 90 * day).toISOString() });
    expect(requestWindow({ end_date: '2026-01-01T00:00:00Z' }, NOW).from).toBe(new Date(Date.parse('2026-01-01T00:00:00Z') - 90 * day).toISOString());
  });

  it('refuses a range over 90 days or backwards', () => {
    expect(() => requestWindow({ start_date: '2025-01-01T00:00:00Z', end_date: '2025-04-02T00:00:00Z' }, NOW)).toThrow(DomainError);
    expect(() => requestWindow({ start_date: '2025-01-01T00:00:00Z', end_date: '2025-03-31T00:00:00Z' }, NOW)).not.toThrow();
    expect(() => requestWindow({ start_date: '2025-02-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }, NOW)).toThrow(/after end_date/);
  });
});
