import type { CaseSummary } from '../domain/case';
import { mergedPeople } from '../domain/people';
import type { Principal } from '../http/principal';
import type { AccessLogEntry } from '../store/access-log-store';
import { frameCropKey, uploadIdFromObjectKey } from '../store/keys';
import { caseGate, caseView, missingCase } from './case-access';
import type { Dependencies } from './dependencies';
import { PHOTO_URL_SECONDS } from './uploads';
import { casePeople, personLogSubject } from './people';

type ReadDeps = Pick<Dependencies, 'cases' | 'directory' | 'accessLog' | 'bucket' | 'now' | 'people'>;

/**
 * The crop of an analysed frame a detection is a hot spot of: the frame's analysis names its detections
 * `<uploadId>/<n>` with the frame's key, and stored their crops under keys made of the same.
 */
export function frameCropOf(detection: Record<string, unknown>): string | undefined {
  const { detectionId, frameKey, box } = detection;
  const match = typeof detectionId === 'string' ? /^(upl-[0-9A-Z]{26})\/(\d{1,3})$/.exec(detectionId) : null;
  if (!match || !box || typeof frameKey !== 'string' || uploadIdFromObjectKey(frameKey) !== match[1]) return undefined;
  return frameCropKey(match[1]!, Number(match[2]));
}

/** Who read, as the access log records it. */
export const accessLogReader = (principal: Principal, role: AccessLogEntry['role']) => ({
  sub: principal.sub, role,
  ...(principal.teamId ? { teamId: principal.teamId } : {}),
  ...(principal.stationId ? { stationId: principal.stationId } : {}),
});

/** The role a principal read in: the most seeing one it holds. */
export const readingRole = (principal: Principal) =>
  (['admin', 'coordinator', 'station', 'patrol'] as const).find((role) => principal.roles.includes(role)) ?? principal.roles[0] ?? 'patrol';

/**
 * GET /v1/cases/{caseId}: the case in full with its timeline, evidence, photos and notifications for whoever may read
 * it in full, logged (the read, and the photo URLs issued) before it is answered; the summary for a patrol of the
 * station's area; a 404 for anyone else, as if the case did not exist.
 */
export async function readCase(deps: ReadDeps, principal: Principal, caseId: string): Promise<CaseSummary | Record<string, unknown>> {
  // The caller's check against the directory and the case's read do not depend on each other.
  const [gate, detail] = await Promise.all([caseGate(deps, principal), deps.cases.getCaseDetail(caseId)]);
  const access = detail ? gate.access(detail.case) : 'none';
  if (!detail || access === 'none') throw missingCase(caseId);
  if (access === 'summary') return caseView(detail.case, access);

  // Workflow bookkeeping and the relations the policy reads stay inside.
  const {
    wait: _wait, version: _version, workflowGeneration: _generation, retriage: _retriage, relatedTeams: _teams, relatedStations: _stations,
    estimateSums: _sums, detectionLog: _log, ...visible
  } = detail.case;
  // Only the copy without metadata is handed out; the original (with the device's own details) never is, so a
  // photo recorded without such a copy is listed without a URL.
  const now = deps.now();
  const crops = detail.detections.map(frameCropOf);
  const viewable = detail.photos.filter((photo) => photo.viewKey).length + crops.filter(Boolean).length;
  const reader = accessLogReader(principal, readingRole(principal));
  const at = now.toISOString();
  // The log is written before anything is answered; the URLs are signed meanwhile (nothing leaves before both).
  const [photos, known, detections] = await Promise.all([
    Promise.all(detail.photos.map(async ({ key: _original, viewKey, ...photo }) => ({
      ...photo,
      ...(viewKey ? {
        url: await deps.bucket.presignGet(viewKey, PHOTO_URL_SECONDS),
        urlExpiresAt: new Date(now.getTime() + PHOTO_URL_SECONDS * 1000).toISOString(),
      } : {}),
    }))),
    // The people of the case with a file, as much as helping them needs; or those met near here before.
    casePeople(deps, detail.case),
    // A hot spot found in an analysed frame is shown as the frame's crop around it, through a URL that expires.
    Promise.all(detail.detections.map(async (detection, i) => (crops[i]
      ? { ...detection, cropUrl: await deps.bucket.presignGet(crops[i], PHOTO_URL_SECONDS) }
      : detection))),
    deps.accessLog.append(caseId, [
      { at, ...reader, what: 'read' },
      ...(viewable ? [{ at, ...reader, what: 'photo_url' as const, count: viewable }] : []),
    ]),
  ]);
  // What a reader of the case was shown of each person with a file is in that person's log too.
  if (known.files.length) {
    await deps.accessLog.appendToEach(known.files.map((f) => personLogSubject(f.personId)), { at, ...reader, what: 'case_read', caseId });
  }
  return {
    ...visible, access,
    people: detail.case.intakePeople ?? mergedPeople(detail.sightings),
    files: known.files, possiblyKnown: known.possiblyKnown,
    timeline: detail.timeline, sightings: detail.sightings, detections, photos,
    ...(detail.case.detectionCount > detail.detections.length ? { detectionsShown: detail.detections.length } : {}),
    notifications: detail.notifications.toSorted((x, y) => x.createdAt.localeCompare(y.createdAt)),
  };
}
