import type { Role } from '../contract/vocabulary';

/**
 * Every API route, declared once. The CDK app makes a function and an authorized route from each entry; the local
 * runtime serves the routes it finds in the synthesized template; each handler checks its caller's role here.
 */
export interface RouteSpec {
  id: string;
  method: 'GET' | 'POST';
  path: string;
  /** The handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** Roles allowed to call the route (admins always are), or 'public' for routes without a JWT. */
  access: readonly Role[] | 'public';
  description: string;
  /** More method/path pairs served by the same function (e.g. a standard's .json and .xml forms). */
  alsoServes?: readonly { method: 'GET' | 'POST'; path: string }[];
}

/** Every method/path pair a route spec serves. */
export const pathsOf = (spec: RouteSpec) => [{ method: spec.method, path: spec.path }, ...(spec.alsoServes ?? [])];

const SIGNED_IN_PEOPLE: readonly Role[] = ['patrol', 'station', 'coordinator'];

export const ROUTES = [
  {
    id: 'CreateSighting', method: 'POST', path: '/v1/sightings', entry: 'functions/api/create-sighting.ts',
    access: ['patrol', 'coordinator'], description: 'Report people seen at a place; opens or joins a case.',
  },
  {
    id: 'ListCases', method: 'GET', path: '/v1/cases', entry: 'functions/api/list-cases.ts',
    access: SIGNED_IN_PEOPLE, description: 'Cases, newest first, filtered by status, risk, time and area.',
  },
  {
    id: 'GetCase', method: 'GET', path: '/v1/cases/{caseId}', entry: 'functions/api/get-case.ts',
    access: SIGNED_IN_PEOPLE, description: 'A case with its timeline, sightings, detections and photos.',
  },
  {
    id: 'TakeCaseAction', method: 'POST', path: '/v1/cases/{caseId}/actions', entry: 'functions/api/take-case-action.ts',
    access: SIGNED_IN_PEOPLE, description: 'Acknowledge, arrive, resolve, intake, discharge or add a note.',
  },
  {
    id: 'CreateUpload', method: 'POST', path: '/v1/uploads', entry: 'functions/api/create-upload.ts',
    access: ['patrol', 'station', 'coordinator', 'device'], description: 'A short-lived URL to send a photo or thermal frame straight to storage.',
  },
  {
    id: 'GetUpload', method: 'GET', path: '/v1/uploads/{uploadId}', entry: 'functions/api/get-upload.ts',
    access: ['patrol', 'station', 'coordinator', 'device'], description: 'Whether an upload was stored or rejected, and why.',
  },
  // New routes go above this line (and their grants in infra/stateless-stack.ts, routeGrants).
] as const satisfies readonly RouteSpec[];

export type RouteId = (typeof ROUTES)[number]['id'];

export function route(id: RouteId): RouteSpec {
  return ROUTES.find((r) => r.id === id)!;
}
