import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activeWarnings, CapProblem, isSevereColdWave, parseCap, type StoredWarning, warningsInForce } from '#shared/domain/warning';

const FIXTURE = readFileSync(new URL('../../fixtures/cap/cold-wave-yellow.xml', import.meta.url), 'utf8');
const refusal = (xml: string) => {
  try {
    parseCap(xml);
  } catch (error) {
    if (error instanceof CapProblem) return `${error.path}: ${error.message}`;
    throw error;
  }
  throw new Error('accepted');
};

describe('reading CAP 1.2', () => {
  it('reads the observatory\'s cold-wave warning', () => {
    expect(parseCap(FIXTURE)).toMatchObject({
      identifier: 'NCMET-2026-12-02-001', msgType: 'Alert', status: 'Actual', event: '寒潮黄色预警', level: 'yellow', coldWave: true,
      onset: '2026-12-02T10:00:00.000Z', expires: '2026-12-04T00:00:00.000Z', areas: ['南昌市'], references: [],
    });
  });

  it('takes the level from the event, else a parameter, else the severity', () => {
    const noColour = FIXTURE.replace('寒潮黄色预警', '寒潮预警');
    expect(parseCap(noColour.replace('<value>黄色</value>', '<value>Orange</value>')).level).toBe('orange');
    const bare = noColour.replace(/<parameter>.*<\/parameter>/, '');
    expect(parseCap(bare.replace('Moderate', 'Extreme')).level).toBe('red');
    expect(parseCap(bare.replace('Moderate', 'Minor')).level).toBe('blue');
    expect(parseCap(FIXTURE.replace('寒潮黄色预警', 'Cold Wave Red Warning')).level).toBe('red');
  });

  it('knows a cold wave by its event, and which ones raise the night', () => {
    expect(parseCap(FIXTURE.replace('寒潮黄色预警', '低温蓝色预警')).coldWave).toBe(true);
    expect(parseCap(FIXTURE.replace('寒潮黄色预警', 'Low Temperature Warning')).coldWave).toBe(true);
    expect(parseCap(FIXTURE.replace('寒潮黄色预警', '大风黄色预警')).coldWave).toBe(false);
    expect(isSevereColdWave({ coldWave: true, level: 'blue' })).toBe(false);
    expect(isSevereColdWave({ coldWave: true, level: 'yellow' })).toBe(true);
    expect(isSevereColdWave({ coldWave: false, level: 'red' })).toBe(false);
  });

  it('gives a warning without expires 24 hours from its onset', () => {
    expect(parseCap(FIXTURE.replace(/<expires>.*<\/expires>/, '')).expires).toBe('2026-12-03T10:00:00.000Z');
  });

  it('refuses DTDs and entities before parsing anything', () => {
    const billionLaughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${FIXTURE.slice(FIXTURE.indexOf('<alert'))}`;
    expect(refusal(billionLaughs)).toContain('DTDs and entity declarations are refused');
    expect(refusal(FIXTURE.replace('<alert', '<!ENTITY x SYSTEM "file:///etc/passwd"><alert'))).toContain('refused');
  });

  it('refuses what is not CAP 1.2, is broken, too large or incomplete, saying where', () => {
    expect(refusal(FIXTURE.replace('cap:1.2', 'cap:1.1'))).toMatch(/^alert: not a CAP 1\.2 alert/);
    expect(refusal('<feed xmlns="http://www.w3.org/2005/Atom"/>')).toMatch(/^alert: not a CAP 1\.2 alert/);
    expect(refusal(FIXTURE.replace('</info>', ''))).toMatch(/^body: not well-formed XML/);
    expect(refusal(FIXTURE.replace(/<identifier>.*<\/identifier>/, `<identifier>${'x'.repeat(300_000)}</identifier>`))).toMatch(/at most 262144 bytes/);
    expect(refusal(FIXTURE.replace(/<sent>.*<\/sent>/, ''))).toMatch(/^alert\.sent:/);
    expect(refusal(FIXTURE.replace(/<sent>.*<\/sent>/, '<sent>yesterday</sent>'))).toMatch(/^alert\.sent: must be a CAP date-time/);
    expect(refusal(FIXTURE.replace('<msgType>Alert</msgType>', '<msgType>Cancel</msgType>'))).toMatch(/^alert\.references:/);
    expect(refusal(FIXTURE.replace(/<info>[\s\S]*<\/info>/, ''))).toMatch(/^alert\.info: an Alert needs an <info>/);
    expect(refusal(FIXTURE.replace('<severity>Moderate</severity>', '<severity>Bad</severity>'))).toMatch(/^alert\.info\.0\.severity/);
    expect(refusal(FIXTURE.replace('2026-12-04T08:00:00+08:00', '2026-12-02T17:00:00+08:00'))).toMatch(/expires before its onset/);
  });

  it('reads a prefixed CAP namespace too', () => {
    const prefixed = FIXTURE.replace('<alert xmlns=', '<cap:alert xmlns:cap=').replace('</alert>', '</cap:alert>')
      .replace(/<(\/?)(identifier|sender|sent|status|msgType|scope|info|language|category|event|urgency|severity|certainty|onset|expires|headline|description|instruction|parameter|valueName|value|area|areaDesc)>/g, '<$1cap:$2>');
    expect(parseCap(prefixed)).toMatchObject({ identifier: 'NCMET-2026-12-02-001', level: 'yellow' });
  });
});

describe('which warnings are in force', () => {
  const stored = (xml: string, extra: Partial<StoredWarning> = {}): StoredWarning => ({ ...parseCap(xml), warningId: 'w', receivedAt: '2026-12-02T08:00:00Z', ...extra });
  const alert = stored(FIXTURE);
  const at = (iso: string) => Date.parse(iso);
  const cancel = stored(FIXTURE.replace('<msgType>Alert</msgType>', '<msgType>Cancel</msgType>')
    .replace('NCMET-2026-12-02-001</identifier>', 'NCMET-2026-12-02-002</identifier>')
    .replace('<scope>Public</scope>', '<scope>Public</scope><references>nanchang.meteorological.observatory,NCMET-2026-12-02-001,2026-12-02T16:00:00+08:00</references>')
    .replace('<sent>2026-12-02T16:00:00+08:00</sent>', '<sent>2026-12-03T06:00:00+08:00</sent>'));

  it('is in force from onset to expiry', () => {
    expect(activeWarnings([alert], at('2026-12-02T17:59:00+08:00'))).toEqual([]);
    expect(activeWarnings([alert], at('2026-12-02T18:00:00+08:00'))).toEqual([alert]);
    expect(activeWarnings([alert], at('2026-12-04T08:00:00+08:00'))).toEqual([]);
  });

  it('ends at a Cancel\'s sent, whichever arrived first, and a Cancel is never in force itself', () => {
    for (const all of [[alert, cancel], [cancel, alert]]) {
      expect(activeWarnings(all, at('2026-12-03T05:00:00+08:00'))).toEqual([alert]);
      expect(activeWarnings(all, at('2026-12-03T07:00:00+08:00'))).toEqual([]);
      // The night of the 2nd had it in force; the night of the 3rd did not.
      expect(warningsInForce(all, at('2026-12-02T18:00:00+08:00'), at('2026-12-03T06:00:00+08:00'))).toEqual([alert]);
      expect(warningsInForce(all, at('2026-12-03T18:00:00+08:00'), at('2026-12-04T06:00:00+08:00'))).toEqual([]);
    }
  });

  it('holds an exercise or a test in force never', () => {
    const exercise = stored(FIXTURE.replace('<status>Actual</status>', '<status>Exercise</status>'));
    expect(activeWarnings([exercise], at('2026-12-03T00:00:00+08:00'))).toEqual([]);
  });
});
