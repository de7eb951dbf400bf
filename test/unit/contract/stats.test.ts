import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '#shared/contract/openapi';
import { StatsQuery } from '#shared/contract/stats';
import { keyFigures } from '#shared/domain/stats';

const doc = buildOpenApiDocument();

describe('StatsQuery', () => {
  it('takes RFC 3339 bounds with an offset, future ones too, and hour or day', () => {
    expect(StatsQuery.parse({ from: '2026-01-12T00:00:00+08:00', to: '2099-01-01T00:00:00Z', bucket: 'day' }))
      .toEqual({ from: '2026-01-12T00:00:00+08:00', to: '2099-01-01T00:00:00Z', bucket: 'day' });
    expect(StatsQuery.parse({})).toEqual({});
  });

  it('refuses bounds without an offset, other buckets and unknown parameters', () => {
    expect(StatsQuery.safeParse({ from: '2026-01-12T00:00:00' }).success).toBe(false);
    expect(StatsQuery.safeParse({ to: 'yesterday' }).success).toBe(false);
    expect(StatsQuery.safeParse({ bucket: 'week' }).success).toBe(false);
    expect(StatsQuery.safeParse({ since: '2026-01-12T00:00:00Z' }).success).toBe(false);
  });
});

describe('GET /v1/stats in the OpenAPI document', () => {
  const op = doc.paths['/v1/stats']!.get as Record<string, any>;

  it('is for coordinators and stations, with the window in its parameters and its semantics in words', () => {
    expect(op.operationId).toBe('GetStats');
    expect(op['x-roles']).toEqual(['coordinator', 'station', 'admin']);
    expect(op.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual([['from', false], ['to', false], ['bucket', false]]);
    expect(op.parameters.find((p: { name: string }) => p.name === 'bucket').schema.enum).toEqual(['hour', 'day']);
    for (const words of ['opened', 'Asia/Shanghai', 'nearest rank', 'openRed', 'bySource']) expect(op.description).toContain(words);
    expect(op.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Stats');
    expect(op.responses['400'].description).toMatch(/200 days/);
  });

  it('describes the figures as the use case makes them', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'https://api.test/openapi.json', components: doc.components });
    const validate = ajv.getSchema('https://api.test/openapi.json#/components/schemas/Stats')!;
    const figures = keyFigures([{
      caseId: 'case-1', openedAt: '2026-01-12T01:00:00Z', status: 'resolved', risk: 'red', outcome: 'not_found', sightingCount: 1,
      detectionCount: 0, reportsBySource: { patrol: 1 }, leadSource: 'patrol', acknowledgedAt: '2026-01-12T01:05:00Z', resolvedAt: '2026-01-12T01:45:00Z',
    }], { from: new Date('2026-01-12T00:00:00Z'), to: new Date('2026-01-12T03:00:00Z'), bucket: 'hour' }, { openRed: 0, generatedAt: new Date() });
    expect(validate(figures), JSON.stringify(validate.errors)).toBe(true);
    const empty = keyFigures([], { from: new Date('2026-01-12T00:00:00Z'), to: new Date('2026-01-12T03:00:00Z'), bucket: 'hour' }, { openRed: 0, generatedAt: new Date() });
    expect(validate(empty), JSON.stringify(validate.errors)).toBe(true);
  });
});
