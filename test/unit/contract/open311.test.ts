import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  CreateServiceRequestInput, ListServiceRequestsQuery, OPEN311_SERVICES, open311Status, open311StatusNotes,
} from '#shared/contract/open311';
import { formatOfPath, renderOpen311 } from '#shared/contract/open311-format';
import { shanghaiIso } from '#shared/domain/shanghai-clock';
import { CASE_STATUSES } from '#shared/contract/vocabulary';

/** The standard's own example body (without its attribute[...] fields' service definition). */
const STANDARD_EXAMPLE = Object.fromEntries(new URLSearchParams(
  'api_key=xyz&jurisdiction_id=city.gov&service_code=001&lat=37.76524078&long=-122.4212043&address_string=1234+5th+street'
  + '&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=111111111'
  + '&description=A+large+sinkhole+is+destroying+the+street&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg'
  + '&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001',
));

const issues = (value: unknown) => {
  const result = CreateServiceRequestInput.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('CreateServiceRequestInput', () => {
  it("reads the standard's example form: numbers from text, unknown fields (attribute[...], api_key) dropped", () => {
    const input = CreateServiceRequestInput.parse(STANDARD_EXAMPLE);
    expect(input).toMatchObject({ service_code: '001', lat: 37.76524078, long: -122.4212043, address_string: '1234 5th street', email: 'smit333@sfgov.edu' });
    expect(input).not.toHaveProperty('api_key');
    expect(input).not.toHaveProperty('attribute[WHISPAWN]');
  });

  it('treats a field sent empty as a field not sent, as the standard says', () => {
    const input = CreateServiceRequestInput.parse({ service_code: 'person_in_need', lat: '', long: ' ', address_string: '桥下', email: '', description: '' });
    expect(input).toEqual({ service_code: 'person_in_need', address_string: '桥下' });
  });

  it.each([
    [{ lat: '28.6' }, 'long: lat and long go together'],
    [{ long: '115.8' }, 'lat: lat and long go together'],
    [{}, 'lat: a location is required'],
    [{ address_id: 'A-77' }, 'address_id is not known here'],
    [{ lat: '28.6N', long: '115.8' }, 'lat: must be a decimal number'],
    [{ lat: '1e3', long: '115.8' }, 'lat: must be a decimal number'],
    [{ lat: 'NaN', long: '115.8' }, 'lat: must be a decimal number'],
    [{ lat: '-90.5', long: '115.8' }, 'lat: must be between -90 and 90'],
    [{ lat: '28.6', long: '180.01' }, 'long: must be between -180 and 180'],
    [{ lat: '0', long: '0.0' }, 'lat: 0,0 means the device had no position fix'],
    [{ lat: '28.6', long: '115.8', description: 'x'.repeat(4001) }, 'description: may be at most 4000 characters'],
    [{ lat: '28.6', long: '115.8', media_url: 'ftp://x.cn/a.jpg' }, 'media_url: must be an http or https URL'],
  ])('refuses %j', (fields, message) => {
    expect(issues({ service_code: 'person_in_need', ...fields }).join(' | ')).toContain(message);
  });

  it('requires service_code, and accepts a description of exactly 4000 characters and JSON numbers', () => {
    expect(issues({ lat: 28.6, long: 115.8 })).toEqual([expect.stringMatching(/^service_code: is required/)]);
    expect(issues({ service_code: 'x', lat: 28.6, long: 115.8, description: '冷'.repeat(4000) })).toEqual([]);
    expect(issues({ service_code: 'x', lat: '-.5', long: '+115.' })).toEqual([]);
  });

  it('drops control characters XML cannot carry, keeping line breaks', () => {
    const input = CreateServiceRequestInput.parse({ service_code: 'x', address_string: 'a', description: '桥下\u0000有人\r\n\t回应\u001b' });
    expect(input.description).toBe('桥下有人\r\n\t回应');
  });
});

describe('ListServiceRequestsQuery', () => {
  it('reads comma-delimited lists, and empty filters as no filter', () => {
    expect(ListServiceRequestsQuery.parse({ status: 'open, closed', service_code: 'a,b', service_request_id: 'sig-1,sig-2', start_date: '' }))
      .toEqual({ status: ['open', 'closed'], service_code: ['a', 'b'], service_request_id: ['sig-1', 'sig-2'] });
  });

  it('refuses unknown statuses, dates without a zone and too many ids', () => {
    expect(ListServiceRequestsQuery.safeParse({ status: 'pending' }).success).toBe(false);
    expect(ListServiceRequestsQuery.safeParse({ start_date: '2026-01-12T22:41:00' }).success).toBe(false);
    expect(ListServiceRequestsQuery.safeParse({ start_date: '2026-01-12T22:41:00+08:00', end_date: '2026-01-12T14:41:00Z' }).success).toBe(true);
    expect(ListServiceRequestsQuery.safeParse({ service_request_id: Array.from({ length: 101 }, (_, i) => `r${i}`).join(',') }).success).toBe(false);
  });
});

describe('status', () => {
  it('is closed once the people were dealt with on the street, open before', () => {
    const closed = CASE_STATUSES.filter((s) => open311Status(s) === 'closed');
    expect(closed).toEqual(['resolved', 'in_station', 'closed']);
  });

  it('has a note for every status that never names an outcome', () => {
    for (const status of CASE_STATUSES) {
      expect(open311StatusNotes(status)).toMatch(/ \/ /);
      expect(open311StatusNotes(status)).not.toMatch(/police|declined|120|false alarm/i);
    }
  });
});

describe('rendering', () => {
  const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error'].includes(name) });

  it('renders JSON as the array of rows and XML as root and item elements (Spark convention)', () => {
    const json = renderOpen311('json', 'services', OPEN311_SERVICES);
    expect(JSON.parse(json)).toEqual(OPEN311_SERVICES);
    const xml = renderOpen311('xml', 'services', OPEN311_SERVICES);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services>')).toBe(true);
    expect(parser.parse(xml).services.service[0]).toMatchObject({ service_code: 'person_in_need', metadata: 'false', type: 'realtime' });
  });

  it('writes null as an empty element and escapes markup', () => {
    const xml = renderOpen311('xml', 'service_requests', [{ service_request_id: 'sig-1', account_id: null, description: '<b>桥</b> & "冷"' }]);
    expect(xml).toContain('<account_id/>');
    expect(xml).not.toContain('<b>');
    expect(parser.parse(xml).service_requests.request[0]).toEqual({ service_request_id: 'sig-1', account_id: '', description: '<b>桥</b> & "冷"' });
  });

  it('renders an empty list and errors', () => {
    expect(parser.parse(renderOpen311('xml', 'service_requests', [])).service_requests).toBe('');
    expect(renderOpen311('json', 'service_requests', [])).toBe('[]');
    expect(parser.parse(renderOpen311('xml', 'errors', [{ code: 403, description: 'invalid api_key' }])).errors.error)
      .toEqual([{ code: '403', description: 'invalid api_key' }]);
  });

  it('picks the format by the extension, JSON otherwise', () => {
    expect(formatOfPath('/open311/v2/services.xml')).toBe('xml');
    expect(formatOfPath('/open311/v2/requests/sig-1.XML')).toBe('xml');
    expect(formatOfPath('/open311/v2/requests/sig-1.json')).toBe('json');
    expect(formatOfPath('/open311/v2/requests/sig-1.html')).toBe('json');
  });

  it('writes times in Asia/Shanghai with their offset', () => {
    expect(shanghaiIso('2026-01-12T14:41:00.123Z')).toBe('2026-01-12T22:41:00+08:00');
    expect(shanghaiIso('2026-01-12T20:00:00Z')).toBe('2026-01-13T04:00:00+08:00');
    expect(shanghaiIso('2026-01-12T22:41:00+08:00')).toBe('2026-01-12T22:41:00+08:00');
  });
});
