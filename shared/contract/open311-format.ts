import { XMLBuilder } from 'fast-xml-parser';

/** Open311 picks the format by the resource's extension: requests.json, requests/123.xml. */
export type Open311Format = 'json' | 'xml';

export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The XML root and item element of each kind of answer; the JSON form is the array of items. */
const ELEMENTS = {
  services: ['services', 'service'],
  service_requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const;
export type Open311Kind = keyof typeof ELEMENTS;

/** The format a path asks for; anything but .xml is answered in JSON (errors included). */
export const formatOfPath = (path: string): Open311Format => (/\.xml$/i.test(path) ? 'xml' : 'json');

// suppressEmptyNode: a null field is an empty element (<account_id/>), as in the standard's examples.
const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true });

export function renderOpen311(format: Open311Format, kind: Open311Kind, rows: readonly object[]): string {
  if (format === 'json') return JSON.stringify(rows);
  const [root, item] = ELEMENTS[kind];
  const body = rows.length ? builder.build({ [root]: { [item]: rows } }) : `<${root}></${root}>\n`;
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}`;
}

