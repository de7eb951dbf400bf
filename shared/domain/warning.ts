import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as z from 'zod';
import { type CapWarning, MSG_TYPES, type WarningLevel } from './warning-span';

export * from './warning-span';

/**
 * Weather warnings as the observatories send them: CAP 1.2 (OASIS Common Alerting Protocol, ITU-T X.1303).
 *
 * Read strictly and safely: at most 256 KB, refused outright when it declares a DTD or an entity (no expansion, no
 * external fetch can happen), well-formed, in the CAP 1.2 namespace, with the elements CAP requires. An alert's
 * effect (active, replaced by an Update, ended by a Cancel) is worked out from all the alerts on record whenever it is
 * asked, so the order they arrive in does not matter.
 */
export const CAP_MAX_BYTES = 256 * 1024;
export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
/** Hours a warning stays in force when its CAP says no `expires` (observatory warnings are renewed at least daily). */
export const DEFAULT_WARNING_HOURS = 24;

export class CapProblem extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'CapProblem';
  }
}

const COLOURS: [RegExp, WarningLevel][] = [
  [/红色|\bred\b/i, 'red'], [/橙色|\borange\b/i, 'orange'], [/黄色|\byellow\b/i, 'yellow'], [/蓝色|\bblue\b/i, 'blue'],
];
const SEVERITY_LEVEL: Record<string, WarningLevel> = { Minor: 'blue', Moderate: 'yellow', Severe: 'orange', Extreme: 'red' };
const COLD_WAVE = /寒潮|低温|cold\s*wave|low\s*temperature|\bcold\b/i;

const colourIn = (text: string | undefined) => (text ? COLOURS.find(([pattern]) => pattern.test(text))?.[1] : undefined);

/** A CAP date-time: `2026-01-12T22:00:00+08:00` (CAP wants an offset and no fractions; fractions are tolerated). */
const CapTime = z.iso.datetime({ offset: true, message: 'must be a CAP date-time with an offset, e.g. 2026-01-12T22:00:00+08:00' });
const Text = z.string().trim().min(1);

const Info = z.object({
  language: z.string().optional(),
  category: z.union([Text, z.array(Text)]),
  event: Text,
  urgency: Text,
  severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
  certainty: Text,
  headline: z.string().optional(),
  description: z.string().optional(),
  instruction: z.string().optional(),
  onset: CapTime.optional(),
  effective: CapTime.optional(),
  expires: CapTime.optional(),
  parameter: z.array(z.object({ valueName: z.string(), value: z.string() })).optional(),
  area: z.array(z.object({ areaDesc: Text })).optional(),
});

const Alert = z.object({
  identifier: Text.max(500).refine((v) => !/[\s,<&]/.test(v), { message: 'may not hold spaces, commas, < or &' }),
  sender: Text.max(500).refine((v) => !/[\s,<&]/.test(v), { message: 'may not hold spaces, commas, < or &' }),
  sent: CapTime,
  status: z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']),
  msgType: z.enum(MSG_TYPES),
  scope: z.enum(['Public', 'Restricted', 'Private']),
  references: z.string().optional(),
  info: z.array(Info).optional(),
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => ['info', 'area', 'parameter', 'category'].includes(name),
});

/** The namespace an element declares for itself (default or through its own prefix). */
function namespaceOf(text: string): string | undefined {
  const open = /<\s*(?:([\w.-]+):)?alert\b([^>]*)>/.exec(text);
  if (!open) return undefined;
  const attribute = open[1] ? `xmlns:${open[1]}` : 'xmlns';
  return new RegExp(`${attribute.replace(':', '\\:')}\\s*=\\s*["']([^"']*)["']`).exec(open[2]!)?.[1];
}

/** Reads a CAP 1.2 alert, or throws a CapProblem saying what is wrong with it. */
export function parseCap(text: string): CapWarning {
  if (Buffer.byteLength(text, 'utf8') > CAP_MAX_BYTES) throw new CapProblem('body', `a CAP alert may be at most ${CAP_MAX_BYTES} bytes`);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new CapProblem('body', 'DTDs and entity declarations are refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CapProblem('body', `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  if (namespaceOf(text) !== CAP_NAMESPACE) throw new CapProblem('alert', `not a CAP 1.2 alert: the root must be <alert xmlns="${CAP_NAMESPACE}">`);
  const document = parser.parse(text) as Record<string, unknown>;
  const parsed = Alert.safeParse(document.alert);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CapProblem(['alert', ...issue.path].join('.'), issue.message);
  }
  const alert = parsed.data;
  const references = (alert.references ?? '').split(/\s+/).filter(Boolean).map((entry) => entry.split(',')[1] ?? '');
  if (references.some((identifier) => !identifier)) throw new CapProblem('alert.references', 'each reference is sender,identifier,sent');
  if ((alert.msgType === 'Update' || alert.msgType === 'Cancel') && !references.length) {
    throw new CapProblem('alert.references', `an ${alert.msgType} names the alerts it refers to`);
  }
  const info = alert.info?.[0];
  if (!info && (alert.msgType === 'Alert' || alert.msgType === 'Update')) throw new CapProblem('alert.info', `an ${alert.msgType} needs an <info>`);
  const parameterColour = info?.parameter?.map((p) => colourIn(p.value) ?? colourIn(p.valueName)).find(Boolean);
  const level = info ? colourIn(info.event) ?? parameterColour ?? SEVERITY_LEVEL[info.severity] : undefined;
  const sentMs = Date.parse(alert.sent);
  const startMs = info?.onset ? Date.parse(info.onset) : info?.effective ? Date.parse(info.effective) : sentMs;
  if (info?.expires && info.onset && Date.parse(info.expires) <= Date.parse(info.onset)) {
    throw new CapProblem('alert.info.expires', 'expires before its onset');
  }
  return {
    identifier: alert.identifier,
    sender: alert.sender,
    sent: new Date(sentMs).toISOString(),
    status: alert.status,
    msgType: alert.msgType,
    references,
    ...(info ? { event: info.event } : {}),
    ...(level ? { level } : {}),
    coldWave: info ? COLD_WAVE.test(info.event) : false,
    ...(info?.headline ? { headline: info.headline } : {}),
    ...(info?.description ? { description: info.description } : {}),
    ...(info?.instruction ? { instruction: info.instruction } : {}),
    ...(info?.onset ? { onset: new Date(Date.parse(info.onset)).toISOString() } : {}),
    ...(info ? { expires: new Date(info.expires ? Date.parse(info.expires) : startMs + DEFAULT_WARNING_HOURS * 3_600_000).toISOString() } : {}),
    areas: (alert.info ?? []).flatMap((i) => i.area ?? []).map((a) => a.areaDesc),
  };
}

