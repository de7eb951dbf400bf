import * as z from 'zod';
import type { CaseStatus } from './vocabulary';

/**
 * The help points' public channel: Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), so existing Open311
 * clients work unchanged. Field names are the standard's (snake_case); JSON is the Spark mapping of the XML, so every
 * row has the same fields in both, null where there is nothing (or nothing we may show).
 */

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export const OPEN311_SERVICES = [
  {
    service_code: 'person_in_need',
    service_name: '街头有人需要救助 / Person in need outside in the cold',
    description: '有人在街头、桥下、涵洞、地下通道或工地露宿、遇困，需要救助。请说明位置和看到的情况；'
      + '有生命危险请直接拨打 110 或 120。 / Someone is sleeping rough or stranded outside (street, bridge, culvert, '
      + 'underpass, building site) and needs help. Say where and what you saw; if a life is in danger call 110 or 120.',
    metadata: false,
    type: 'realtime',
    keywords: '流浪, 乞讨, 露宿, 遇困, 寒冷, 救助, homeless, rough sleeper, stranded, cold, help',
    group: '街面救助 / Street rescue',
  },
  {
    service_code: 'ask_for_help',
    service_name: '我需要救助 / I need help myself',
    description: '我在求助点，需要临时住宿、食物、御寒衣物或返乡帮助。 / I am at this help point and need shelter, '
      + 'food, warm clothes or help to get home.',
    metadata: false,
    type: 'realtime',
    keywords: '求助, 住宿, 返乡, 御寒, shelter, food, warm clothes, ticket home, help',
    group: '街面救助 / Street rescue',
  },
] as const satisfies readonly Open311Service[];
export type Open311ServiceCode = (typeof OPEN311_SERVICES)[number]['service_code'];

export const open311Service = (code: string) => OPEN311_SERVICES.find((s) => s.service_code === code);

/** What the reporter is told right after reporting. */
export const OPEN311_SERVICE_NOTICE = '已转交救助管理站，巡查队将尽快前往。有生命危险请直接拨打 110 或 120。 / '
  + 'Passed to the rescue station; a patrol team will go as soon as possible. If a life is in danger call 110 or 120.';

export type Open311Status = 'open' | 'closed';
/** Closed once the people were dealt with on the street, whatever followed; a case reopened is open again. */
const CLOSED_CASE_STATUSES: readonly CaseStatus[] = ['resolved', 'in_station', 'closed'];
export const open311Status = (status: CaseStatus): Open311Status => (CLOSED_CASE_STATUSES.includes(status) ? 'closed' : 'open');

/** Progress as the public may know it: never the outcome (declined help, police…), which concerns the person. */
const STATUS_NOTES: Partial<Record<CaseStatus, string>> = {
  alerted: '已通知巡查队 / A patrol team has been alerted.',
  acknowledged: '巡查队正在前往 / A patrol team is on its way.',
  on_scene: '巡查队已到达现场 / A patrol team is at the place.',
  resolved: '已处理 / Handled by the rescue service.',
  in_station: '已处理 / Handled by the rescue service.',
  closed: '已处理 / Handled by the rescue service.',
};
export const open311StatusNotes = (status: CaseStatus) => STATUS_NOTES[status] ?? '已收到，正在安排 / Received; a team is being assigned.';

/** One service request as GET requests and GET requests/{id} show it. */
export interface Open311ServiceRequest {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** The answer to POST requests. */
export interface Open311Created {
  service_request_id: string;
  service_notice: string;
  account_id: string | null;
}

export interface Open311Error {
  code: number;
  description: string;
}

/** The standard: an optional parameter sent empty is the same as one not sent. */
const blankIsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
// XML 1.0 cannot carry C0 control characters other than tab and line breaks; they are never meaningful here.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const optionalText = (max: number) => z.preprocess(
  (value) => { const v = blankIsAbsent(value); return typeof v === 'string' ? v.replace(CONTROL_CHARACTERS, '') : v; },
  z.string({ error: 'must be text' }).trim().max(max, `may be at most ${max} characters`).optional(),
);

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const degrees = (limit: number) => z.preprocess(
  (value) => { const v = blankIsAbsent(value); return typeof v === 'string' && DECIMAL.test(v.trim()) ? Number(v) : v; },
  z.number({ error: 'must be a decimal number of degrees (WGS-84)' })
    .min(-limit, `must be between -${limit} and ${limit}`).max(limit, `must be between -${limit} and ${limit}`).optional(),
);

/** The standard's limit on a description. */
export const OPEN311_DESCRIPTION_MAX = 4000;

/** POST requests.json|xml, form-encoded (or JSON). Unknown fields (attribute[...], zipcode…) are ignored, as the standard allows. */
export const CreateServiceRequestInput = z.object({
  service_code: z.preprocess(blankIsAbsent, z.string({ error: 'is required: one of the codes services.json lists' }).trim().max(64)),
  lat: degrees(90),
  long: degrees(180),
  address_string: optionalText(500),
  address_id: optionalText(128),
  description: optionalText(OPEN311_DESCRIPTION_MAX),
  media_url: z.preprocess(blankIsAbsent, z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    .max(2048, 'may be at most 2048 characters').optional()),
  email: z.preprocess(blankIsAbsent, z.email({ error: 'is not an email address' }).max(254).optional()),
  device_id: optionalText(128),
  account_id: optionalText(128),
  first_name: optionalText(100),
  last_name: optionalText(100),
  phone: optionalText(40),
  jurisdiction_id: optionalText(128),
  // An extension: the reporter asks to be told what became of the report. Only then are their contact details
  // (email, phone, names) kept, and for 30 days at most.
  feedback: z.preprocess((value) => {
    const v = blankIsAbsent(value);
    if (typeof v !== 'string') return v;
    const word = v.trim().toLowerCase();
    return ['true', '1', 'yes', 'on'].includes(word) ? true : ['false', '0', 'no', 'off'].includes(word) ? false : v;
  }, z.boolean({ error: 'must be true or false' }).optional()),
}).superRefine((input, ctx) => {
  const hasLat = input.lat !== undefined;
  if (hasLat !== (input.long !== undefined)) {
    ctx.addIssue({ code: 'custom', path: [hasLat ? 'long' : 'lat'], message: 'lat and long go together: send both, or neither and an address_string' });
  } else if (!hasLat && !input.address_string) {
    ctx.addIssue({
      code: 'custom', path: ['lat'],
      message: `a location is required: lat and long, or address_string${input.address_id ? ' (address_id is not known here)' : ''}`,
    });
  } else if (input.lat === 0 && input.long === 0) {
    ctx.addIssue({ code: 'custom', path: ['lat'], message: '0,0 means the device had no position fix: send address_string instead' });
  }
});
export type CreateServiceRequestInput = z.output<typeof CreateServiceRequestInput>;

/** Ids this API hands out; anything else cannot be one (and is answered 404, like an unknown id). */
export const SERVICE_REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

const commaList = <T extends z.ZodType>(item: T, max: number) => z.preprocess(
  (value) => { const v = blankIsAbsent(value); return typeof v === 'string' ? v.split(',').map((part) => part.trim()).filter(Boolean) : v; },
  z.array(item).max(max, `may list at most ${max} values`).optional(),
);
const W3cDateTime = z.preprocess(blankIsAbsent, z.iso.datetime({
  offset: true, message: 'must be a W3C date-time with a zone, e.g. 2026-01-12T22:41:00+08:00 or 2026-01-12T14:41:00Z',
}).optional());

/** The most service_request_ids one GET requests may name. */
export const MAX_REQUEST_IDS = 100;

/** GET requests.json|xml: the standard's filters. api_key is checked before these are read. */
export const ListServiceRequestsQuery = z.object({
  service_request_id: commaList(z.string().regex(SERVICE_REQUEST_ID, 'is not a service_request_id'), MAX_REQUEST_IDS),
  service_code: commaList(z.string().max(64), OPEN311_SERVICES.length * 4),
  start_date: W3cDateTime,
  end_date: W3cDateTime,
  status: commaList(z.enum(['open', 'closed'], { error: 'must be open or closed' }), 2),
  jurisdiction_id: optionalText(128),
});
export type ListServiceRequestsQuery = z.output<typeof ListServiceRequestsQuery>;
