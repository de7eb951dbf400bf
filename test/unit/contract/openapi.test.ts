import { CONTRACT_SIGHTING_EXAMPLE } from '#shared/contract/examples';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { pathsOf, ROUTES, type RouteSpec } from '#shared/api/routes';
import type { Open311Created, Open311Error, Open311Service, Open311ServiceRequest } from '#shared/contract/open311';
import * as Open311 from '#shared/contract/open311-openapi';
import { buildOpenApiDocument } from '#shared/contract/openapi';
import * as Responses from '#shared/contract/responses';
import {
  ACTION_TYPES, AGE_GROUPS, CASE_STATUSES, CONDITIONS, DETECTION_SOURCES, OUTCOMES, PLACE_TYPES, RISK_LEVELS, ROLES, SEXES,
} from '#shared/contract/vocabulary';
import { type Actor, type Case, type CaseSummary, type OpenAlert, type Sighting, summarize } from '#shared/domain/case';
import type { Problem } from '#shared/http/problem';
import type { Photo, Upload } from '#shared/store/upload-store';

const doc = buildOpenApiDocument();
const schemas = doc.components.schemas as Record<string, any>;
const routes = ROUTES as readonly RouteSpec[];

const contractSighting = CONTRACT_SIGHTING_EXAMPLE;

/** A JSON Schema 2020-12 validator over the document's components, independent of zod. */
function validatorOf(component: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://api.test/openapi.json', components: doc.components });
  return ajv.getSchema(`https://api.test/openapi.json#/components/schemas/${component}`)!;
}

const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Record<string, any> })));

const requestComponent = (path: string, method: string) => {
  const ref: string = (doc.paths[path]![method] as any).requestBody.content['application/json'].schema.$ref;
  return ref.replace('#/components/schemas/', '');
};

describe('the OpenAPI document', () => {
  it('passes the Redocly recommended ruleset', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
    const describe = (p: (typeof problems)[number]) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`;
    expect(problems.filter((p) => p.severity === 'error').map(describe)).toEqual([]);
    // The one warning we accept: no 4xx answer on public operations that take no input (GET /openapi.json, Open311's
    // services), since nothing a client sends can be wrong; inventing a 4xx would misdocument them.
    const takesNoInput = (pointer: string) => {
      const [, path, method] = /^#\/paths\/([^/]+)\/(\w+)\/responses$/.exec(pointer) ?? [];
      const op = path ? doc.paths[path.replaceAll('~1', '/').replaceAll('~0', '~')]?.[method!] : undefined;
      return op !== undefined && !op.parameters && !op.requestBody && (op.security as unknown[]).length === 0;
    };
    const accepted = (p: (typeof problems)[number]) => p.ruleId === 'operation-4xx-response'
      && p.location.every((l) => takesNoInput(l.pointer!));
    expect(problems.filter((p) => !accepted(p)).map(describe)).toEqual([]);
  });

  it('is OpenAPI 3.1 served from the same origin', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    for (const rule of ['RFC 3339', 'WGS-84', 'cognito:groups', 'limit', 'cursor', 'nextCursor', 'Idempotency-Key']) {
      expect(doc.info.description).toContain(rule);
    }
  });

  it('has every method and path of the route table, with unique operation ids', () => {
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    expect(documented).toEqual(routes.flatMap((spec) => pathsOf(spec).map((p) => `${p.method} ${p.path}`)).sort());
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const spec of routes.filter((s) => !s.alsoServes)) {
      expect(doc.paths[spec.path]![spec.method.toLowerCase()]!.operationId).toBe(spec.id);
    }
  });

  it('asks for a bearer token with the roles of the route table, and none on public routes', () => {
    for (const spec of routes) {
      for (const { method, path } of pathsOf(spec)) {
        const op = doc.paths[path]![method.toLowerCase()] as Record<string, any>;
        if (spec.access === 'public') {
          expect(op.security, `${method} ${path}`).toEqual([]);
          expect(op.responses['401'], `${method} ${path}`).toBeUndefined();
        } else {
          expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
          expect(op['x-roles']).toEqual([...spec.access, 'admin']);
          for (const role of spec.access) expect(op.description).toContain(`\`${role}\``);
          expect(op.responses['401'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
          expect(op.responses['403'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
        }
      }
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('answers bad bodies with problem details (Open311 with its own errors)', () => {
    for (const { path, method, op } of operations()) {
      if (!op.requestBody) continue;
      for (const status of ['400', '413', '415']) {
        const content = op.responses[status]?.content;
        if (op.tags.includes('Open311')) {
          for (const media of Object.values<any>(content)) expect(media.schema.$ref).toBe('#/components/schemas/Open311Errors');
        } else {
          expect(content?.['application/problem+json'], `${status} of ${method} ${path}`).toBeDefined();
        }
      }
    }
  });

  it('documents Idempotency-Key where a create honours it', () => {
    const idempotent = operations().filter(({ op }) => op.parameters?.some((p: any) => p.$ref === '#/components/parameters/IdempotencyKey'));
    const declared = (ROUTES as readonly RouteSpec[]).filter((r) => r.idempotent).map((r) => r.id);
    expect(declared).toEqual(expect.arrayContaining(['CreateSighting', 'CreateDetections', 'CreateUpload']));
    expect(idempotent.map(({ op }) => op.operationId)).toEqual(expect.arrayContaining(declared));
    for (const { op } of idempotent) {
      expect(op.responses['409']).toBeDefined();
      const [, success] = Object.entries(op.responses as Record<string, any>).find(([status]) => status.startsWith('2'))!;
      expect(success.headers['Idempotency-Replayed']).toBeDefined();
    }
  });

  it('takes the path parameters from the zod schemas', () => {
    const getCase = doc.paths['/v1/cases/{caseId}']!.get as Record<string, any>;
    expect(getCase.parameters).toEqual([expect.objectContaining({ name: 'caseId', in: 'path', required: true, schema: expect.objectContaining({ pattern: '^case-[0-9A-Z]{26}$' }) })]);
    const list = doc.paths['/v1/cases']!.get as Record<string, any>;
    const limit = list.parameters.find((p: any) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } });
  });
});

describe('the request schemas in the document', () => {
  const sighting = validatorOf(requestComponent('/v1/sightings', 'post'));

  it('accept the contract example sighting', () => {
    expect(sighting(contractSighting), JSON.stringify(sighting.errors)).toBe(true);
  });

  it('reject unknown fields, as z.strictObject does', () => {
    expect(sighting({ ...contractSighting, mood: 'calm' })).toBe(false);
    expect(sighting({ ...contractSighting, people: [{ ...contractSighting.people[0], name: 'Li' }] })).toBe(false);
    expect(sighting({ ...contractSighting, location: { ...contractSighting.location, alt: 20 } })).toBe(false);
    const action = validatorOf(requestComponent('/v1/cases/{caseId}/actions', 'post'));
    expect(action({ type: 'note', text: 'blanket given' })).toBe(true);
    expect(action({ type: 'note', text: 'blanket given', urgent: true })).toBe(false);
  });

  it('reject what the contract rejects', () => {
    expect(sighting({ ...contractSighting, observedAt: '2026-01-12T22:41:00' })).toBe(false);
    expect(sighting({ ...contractSighting, people: [] })).toBe(false);
    expect(sighting({ ...contractSighting, place: { type: 'roof' } })).toBe(false);
  });

  it('close every JSON request body (Open311 ignores unknown fields, and GeoJSON has foreign members, as their standards allow)', () => {
    for (const { path, method, op } of operations()) {
      if (!op.requestBody?.content['application/json'] || op.tags.includes('Open311') || op.requestBody.content['application/geo+json']) continue;
      const schema = schemas[requestComponent(path, method)];
      const variants = schema.oneOf ?? [schema];
      for (const variant of variants) expect(variant.additionalProperties, `${method} ${path}`).toBe(false);
    }
  });

  it('accept the example of each request body', () => {
    for (const { path, method, op } of operations()) {
      const media = op.requestBody?.content['application/json'];
      if (media?.example === undefined) continue;
      const validate = validatorOf(requestComponent(path, method));
      expect(validate(media.example), `${method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe('the enums of the document', () => {
  const prop = (component: string, name: string) => schemas[component].properties[name];

  it('are the vocabulary', () => {
    expect(schemas.Place.properties.type.enum).toEqual([...PLACE_TYPES]);
    expect(prop('Person', 'ageGroup').enum).toEqual([...AGE_GROUPS]);
    expect(prop('Person', 'sex').enum).toEqual([...SEXES]);
    expect(prop('Person', 'conditions').items.enum).toEqual([...CONDITIONS]);
    expect(prop('CreateSightingResponse', 'risk').enum).toEqual([...RISK_LEVELS]);
    expect(schemas.CaseAction.oneOf.map((o: any) => o.properties.type.const)).toEqual([...ACTION_TYPES]);
    const resolve = schemas.CaseAction.oneOf.find((o: any) => o.properties.type.const === 'resolve');
    expect(resolve.properties.outcome.enum).toEqual([...OUTCOMES]);
    expect(prop('CaseSummary', 'status').enum).toEqual([...CASE_STATUSES]);
    expect(prop('CaseSummary', 'risk').enum).toEqual([...RISK_LEVELS]);
    expect(prop('Actor', 'role').enum).toEqual([...ROLES, 'public']);
    expect(prop('CreateDetectionsRequest', 'source').enum).toEqual([...DETECTION_SOURCES]);
    const list = doc.paths['/v1/cases']!.get as Record<string, any>;
    expect(list.parameters.find((p: any) => p.name === 'status').schema.enum).toEqual([...CASE_STATUSES]);
    expect(list.parameters.find((p: any) => p.name === 'risk').schema.enum).toEqual([...RISK_LEVELS]);
  });
});

describe('the response schemas', () => {
  type Out<T extends z.ZodType> = z.output<T>;
  /** What GET /v1/cases/{caseId} shows of a case: all but its workflow wait, internal bookkeeping and the policy's relations; and how much the caller may read. */
  type VisibleCase = Omit<Case, 'wait' | 'version' | 'workflowGeneration' | 'retriage' | 'relatedTeams' | 'relatedStations' | 'estimateSums' | 'detectionLog'> & Pick<CaseSummary, 'access'>;
  type DetailOnly = 'people' | 'files' | 'possiblyKnown' | 'timeline' | 'sightings' | 'detections' | 'detectionsShown' | 'photos' | 'notifications';

  it('have the fields of the domain types the handlers return', () => {
    // summarize() adds reopenCount and maxConfidence beyond its declared CaseSummary; the runtime test below sees them.
    expectTypeOf<keyof Out<typeof Responses.CaseSummary>>().toEqualTypeOf<keyof CaseSummary>();
    expectTypeOf<keyof Omit<Out<typeof Responses.CaseDetail>, DetailOnly>>().toEqualTypeOf<keyof VisibleCase>();
    expectTypeOf<keyof Out<typeof Responses.Sighting>>().toEqualTypeOf<keyof Sighting>();
    expectTypeOf<keyof Out<typeof Responses.Actor>>().toEqualTypeOf<keyof Actor>();
    expectTypeOf<keyof Out<typeof Responses.OpenAlert>>().toEqualTypeOf<keyof OpenAlert>();
    expectTypeOf<keyof Out<typeof Responses.Problem>>().toEqualTypeOf<keyof Problem>();
    expectTypeOf<keyof Out<typeof Responses.Upload>>().toEqualTypeOf<keyof Omit<Upload, 'uploadedBy' | 'requestedPose'>>();
    expectTypeOf<keyof Out<typeof Open311.Open311Service>>().toEqualTypeOf<keyof Open311Service>();
    expectTypeOf<keyof Out<typeof Open311.Open311ServiceRequest>>().toEqualTypeOf<keyof Open311ServiceRequest>();
    expectTypeOf<keyof Out<typeof Open311.Open311Created>>().toEqualTypeOf<keyof Open311Created>();
    expectTypeOf<keyof Out<typeof Open311.Open311Error>>().toEqualTypeOf<keyof Open311Error>();
    expectTypeOf<keyof Out<typeof Responses.CasePhoto>>()
      .toEqualTypeOf<keyof Omit<Photo, 'key' | 'viewKey'> | 'url' | 'urlExpiresAt'>();
  });

  it('describe a summarized case, field for field', () => {
    const at = '2026-01-12T14:41:00.000Z';
    const full: Case = {
      caseId: 'case-01KF0Z8Q3N6W2D4X7Y9B5C1M8T', status: 'alerted', risk: 'red', riskReasons: ['elderly'],
      location: { lat: 28.68, lon: 115.85, accuracyM: 12 }, placeType: 'bridge', placeName: 'north ramp',
      openedAt: at, updatedAt: at, lastSeenAt: at, sightingCount: 1, detectionCount: 2, photoCount: 0,
      stationId: 'station-1', reportedByTeamId: 'team-07', resolvedAt: at, outcome: 'not_found', sourceDevices: ['drone-03'],
      maxConfidence: 0.9, reopenCount: 1, workflowGeneration: 1, version: 3,
      alert: { rung: 0, target: { kind: 'team', id: 'team-07' }, alertedAt: at, deadline: at },
      wait: { token: 't', status: 'alerted', since: at },
    };
    expect(Responses.CaseSummary.strict().safeParse(summarize(full)).error).toBeUndefined();
  });

  it('accept the values of the domain types', () => {
    expectTypeOf<CaseSummary>().toExtend<Out<typeof Responses.CaseSummary>>();
    expectTypeOf<Sighting>().toExtend<Out<typeof Responses.Sighting>>();
    expectTypeOf<Actor>().toExtend<Out<typeof Responses.Actor>>();
    expectTypeOf<OpenAlert>().toExtend<Out<typeof Responses.OpenAlert>>();
    expectTypeOf<Problem>().toExtend<Out<typeof Responses.Problem>>();
    expectTypeOf<Open311Service>().toExtend<Out<typeof Open311.Open311Service>>();
    expectTypeOf<Open311ServiceRequest>().toExtend<Out<typeof Open311.Open311ServiceRequest>>();
    expectTypeOf<Open311Created>().toExtend<Out<typeof Open311.Open311Created>>();
    expectTypeOf<Open311Error>().toExtend<Out<typeof Open311.Open311Error>>();
  });
});
