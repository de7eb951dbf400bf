import { Detection, type DetectionResult, type Location } from '../contract/schemas';
import type { DetectionSource } from '../contract/vocabulary';
import type { Actor } from '../domain/case';
import { cellsAround, groupByPlace, searchRadiusM } from '../domain/correlation';
import { forbidden } from '../domain/errors';
import { deviceQuota, type Quota, quotaWindow } from '../domain/quota';
import { accuracyOf, pooled } from '../domain/position-estimate';
import { assessRisk } from '../domain/risk';
import { DuplicateDetection, QuotaExceeded } from '../store/case-store';
import { caseDetectionIndexKeys, detectionKey, uploadIdFromObjectKey } from '../store/keys';
import type { Dependencies } from './dependencies';
import { type Created, type IdempotentRequest, idempotentCreate } from './idempotent';
import { type EvidenceDeps, recordEvidence } from './record-evidence';
import type { WeatherNow } from './weather';
import { countQuotaRefusal } from '../adapters/observability';

/** At most this many detections go into one transaction (one item each, with up to 9 place cells, the case, its timeline, an alert in the outbox, the quota and idempotency records: DynamoDB allows 100). */
const DETECTIONS_PER_WRITE = 75;
/** Place groups of one batch written at the same time. */
const GROUPS_IN_FLIGHT = 8;

type IngestDeps = EvidenceDeps & Pick<Dependencies, 'detectionIds' | 'idempotency' | 'quotas' | 'uploads' | 'landings'>;

/**
 * The frame keys of a batch that name the device's own thermal frames (uploaded by it, or by the caller itself): a
 * detection may not point at another device's frame, nor at a photo.
 */
async function framesOf(deps: Pick<Dependencies, 'uploads'>, deviceId: string, actor: Actor, detections: Accepted[]): Promise<Set<string>> {
  const keys = [...new Set(detections.map(({ detection }) => detection.frameKey).filter((key): key is string => key !== undefined))];
  const own = await Promise.all(keys.map(async (key) => {
    const uploadId = uploadIdFromObjectKey(key);
    const upload = uploadId ? await deps.uploads.get(uploadId) : undefined;
    return upload?.purpose === 'thermal_frame' && (upload.uploadedBy.deviceId === deviceId || upload.uploadedBy.sub === actor.sub) ? key : undefined;
  }));
  return new Set(own.filter((key): key is string => key !== undefined));
}

interface Accepted {
  index: number;
  detection: Detection;
}

/**
 * A device's batch: each detection validated on its own (a bad one is rejected alone), repeated ids answered as
 * duplicates, and the rest grouped by place and time so that forty frames of one person are one correlation, one
 * transaction per group (or per 40 of a large group), one case.
 */
export async function ingestDetections(
  deps: IngestDeps,
  input: {
    deviceId: string; source: DetectionSource; detections: unknown[]; actor: Actor; idempotency?: IdempotentRequest;
    /** When (epoch ms) to stop landing groups: those not begun by then are stored and landed by the landing sweep. */
    landUntil?: number;
  },
): Promise<Created<{ results: DetectionResult[] }> & { replayed: boolean }> {
  const { deviceId, actor } = input;
  if (actor.role === 'device' && actor.deviceId !== deviceId) {
    throw forbidden(`this token is for device ${actor.deviceId ?? '(none)'}, not ${deviceId}`);
  }
  // Detection ids already make a resent batch harmless; the key makes it answer exactly as the first time.
  return idempotentCreate(deps, input.idempotency, async () => ({ statusCode: 200, body: await ingestBatch(deps, input) }));
}

async function ingestBatch(
  deps: IngestDeps,
  input: { deviceId: string; source: DetectionSource; detections: unknown[]; actor: Actor; landUntil?: number },
): Promise<{ results: DetectionResult[] }> {
  const { deviceId, source, actor } = input;
  const results: DetectionResult[] = input.detections.map((raw, index) => ({
    detectionId: typeof (raw as { detectionId?: unknown })?.detectionId === 'string' ? (raw as { detectionId: string }).detectionId : `#${index}`,
    status: 'rejected',
  }));
  const valid: Accepted[] = [];
  const seenInBatch = new Map<string, number>();
  const repeatedInBatch = new Map<number, number>();
  input.detections.forEach((raw, index) => {
    const parsed = Detection.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      results[index]!.error = `${issue.path.join('.') || 'detection'}: ${issue.message}`;
      return;
    }
    const earlier = seenInBatch.get(parsed.data.detectionId);
    if (earlier !== undefined) {
      results[index] = { detectionId: parsed.data.detectionId, status: 'duplicate', error: `same detectionId as detection ${earlier} of this batch` };
      repeatedInBatch.set(index, earlier);
      return;
    }
    seenInBatch.set(parsed.data.detectionId, index);
    valid.push({ index, detection: parsed.data });
  });

  const framed = await framesOf(deps, deviceId, actor, valid);
  const owned = valid.filter(({ index, detection }) => {
    if (!detection.frameKey || framed.has(detection.frameKey)) return true;
    results[index]!.error = `frameKey: ${detection.frameKey} is not a thermal frame uploaded by ${deviceId}`;
    return false;
  });
  const already = await deps.detectionIds.find(deviceId, owned.map((v) => v.detection.detectionId));
  const fresh = owned.filter(({ index, detection }) => {
    const caseId = already.get(detection.detectionId);
    if (caseId === undefined) return true;
    results[index] = { detectionId: detection.detectionId, status: 'duplicate', caseId };
    return false;
  });

  const groups = groupByPlace(fresh.map((f) => ({ ...f, location: f.detection.location, observedAt: f.detection.observedAt })), deps.correlation);
  const writes = groups.flatMap((group) => Array.from({ length: Math.ceil(group.length / DETECTIONS_PER_WRITE) },
    (_, i) => group.slice(i * DETECTIONS_PER_WRITE, (i + 1) * DETECTIONS_PER_WRITE)));
  // Each group may open a case. A batch of more places than land at once has the device's quota counted for as many
  // as it has room for, up front, rather than by every new case in its transaction (one item all of them would
  // write, and wait on each other for); the groups that join a known place give theirs back once landed. The rest
  // (and a small batch's) are counted case by case, and refused past the quota.
  const hourly = { ...deviceQuota(deviceId, deps.quotas), ...quotaWindow(deps.now()) };
  const counted = writes.length > GROUPS_IN_FLIGHT ? await deps.landings.reserveQuota(hourly, writes.length) : 0;
  const quotaRefusals: QuotaExceeded[] = [];
  const refuse = (group: Accepted[], error: QuotaExceeded) => {
    quotaRefusals.push(error);
    countQuotaRefusal();
    for (const { index, detection } of group) {
      if (results[index]!.status === 'duplicate') continue;
      results[index] = { detectionId: detection.detectionId, status: 'rejected', error: `quota: ${error.message}` };
    }
  };
  let unused = 0;
  const from = { deviceId, source, actor };
  const notBegun = await landSideBySide(deps, writes, input.landUntil, async (group, index) => {
    try {
      const created = await landGroup(deps, from, group, results, { counted: index < counted });
      if (index < counted && !created) unused += 1;
    } catch (error) {
      if (!(error instanceof QuotaExceeded)) throw error;
      refuse(group, error);
    }
  });
  // Out of time: the groups not begun are stored and answered accepted; no request runs into the function's timeout.
  if (notBegun.length) {
    const reserved = notBegun.filter(({ index }) => index < counted).map(({ group }) => group);
    await defer(deps, from, hourly, reserved, notBegun.filter(({ index }) => index >= counted).map(({ group }) => group), results, refuse);
  }
  if (unused) await deps.landings.releaseQuota(hourly, unused);
  // A detection repeated within the batch points at the case its first copy landed in.
  for (const [index, first] of repeatedInBatch) {
    const caseId = results[first]?.caseId;
    if (caseId) results[index]!.caseId = caseId;
  }
  // Refused by the quota and nothing else could land: the whole request is a 429 (and no idempotency record is
  // kept, so the same request goes through once the hour turns). Otherwise the refused ones say why, alone.
  const refused = quotaRefusals.at(-1);
  if (refused && !results.some((r) => r.status !== 'rejected')) throw refused;
  return { results };
}

/**
 * Stores the groups a request had no time to land, for the landing sweep, and answers them accepted (without a case
 * yet). Each group may open a case, so as many groups as the device's hourly quota has room for are counted against
 * it now (a group that joins a known place then uses one it did not need); the rest are refused as the quota refuses.
 */
async function defer(
  deps: IngestDeps, from: { deviceId: string; source: DetectionSource; actor: Actor },
  hourly: Quota & ReturnType<typeof quotaWindow>,
  /** Groups whose quota is counted already, and groups that still need it. */
  reserved: Accepted[][], groups: Accepted[][], results: DetectionResult[],
  refuse: (group: Accepted[], error: QuotaExceeded) => void,
) {
  const room = groups.length ? await deps.landings.reserveQuota(hourly, groups.length) : 0;
  const kept = [...reserved, ...groups.slice(0, room)];
  if (kept.length) {
    await deps.landings.put({
      receivedAt: deps.now().toISOString(), ...from, groups: kept.map((group) => group.map(({ detection }) => detection)),
    });
  }
  for (const { index, detection } of kept.flat()) results[index] = { detectionId: detection.detectionId, status: 'accepted', deferred: true };
  const over = new QuotaExceeded(hourly.subject, hourly.limit, hourly.retryAfterSeconds);
  for (const group of groups.slice(room)) refuse(group, over);
}

/**
 * Lands groups `GROUPS_IN_FLIGHT` at a time, never two whose place-index cells meet at once (neighbours landing
 * together would only collide on their cells and retry): a group waits while a neighbour is in flight. Stops starting
 * groups at `until` (epoch ms) and answers those not begun, with their index.
 */
async function landSideBySide<G extends Accepted[]>(
  deps: Pick<IngestDeps, 'correlation'>, groups: G[], until: number | undefined, land: (group: G, index: number) => Promise<void>,
): Promise<{ group: G; index: number }[]> {
  const pending = groups.map((group, index) => ({
    group, index, cells: new Set(cellsAround(group[0]!.detection.location, searchRadiusM(deps.correlation))),
  }));
  const busy = new Set<string>();
  const running = new Set<Promise<void>>();
  while (pending.length && (until === undefined || Date.now() < until)) {
    const next = running.size < GROUPS_IN_FLIGHT ? pending.findIndex((p) => ![...p.cells].some((cell) => busy.has(cell))) : -1;
    if (next < 0) {
      if (!running.size) break;
      try {
        await Promise.race(running);
      } catch (error) {
        // A group failed for a reason that is not the device's (the table, say): the others finish, then it is thrown.
        await Promise.allSettled(running);
        throw error;
      }
      continue;
    }
    const [item] = pending.splice(next, 1);
    for (const cell of item!.cells) busy.add(cell);
    const run: Promise<void> = land(item!.group, item!.index).finally(() => {
      for (const cell of item!.cells) busy.delete(cell);
      running.delete(run);
    });
    running.add(run);
  }
  const failed = (await Promise.allSettled(running)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return pending.map(({ group, index }) => ({ group, index }));
}

/**
 * The landing sweep: lands the groups that requests stored when they ran out of time, oldest first, until `until`
 * (epoch ms). What a pass has no time for is stored again (with the same arrival time) before the landing it came
 * from is removed; a landing cut short (a crash) goes on where it stopped, skipping the detections already recorded,
 * so nothing is counted twice. Their quota was counted when they were accepted; a group that joined a known place
 * gives back the new case it was counted for.
 */
export async function landDeferredDetections(deps: Omit<IngestDeps, 'idempotency' | 'uploads'>, until: number): Promise<{ landings: number; detections: number }> {
  let landings = 0;
  let detections = 0;
  while (Date.now() < until) {
    const waiting = await deps.landings.oldest(5);
    if (!waiting.length) break;
    for (const landing of waiting) {
      if (Date.now() >= until) break;
      const landed = await deps.detectionIds.find(landing.deviceId, landing.groups.flat().map((d) => d.detectionId));
      const groups = landing.groups
        .map((group) => group.filter((d) => !landed.has(d.detectionId)).map((detection, index) => ({ index, detection })))
        .filter((group) => group.length > 0);
      let unused = 0;
      const left = await landSideBySide(deps, groups, until, async (group) => {
        if (!(await landGroup(deps, landing, group, [], { counted: true }))) unused += 1;
      });
      if (left.length) await deps.landings.put({ ...landing, groups: left.map(({ group }) => group.map(({ detection }) => detection)) });
      await deps.landings.remove(landing);
      if (unused) {
        const window = quotaWindow(new Date(landing.receivedAt));
        await deps.landings.releaseQuota({ subject: deviceQuota(landing.deviceId, deps.quotas).subject, hour: window.hour }, unused);
      }
      if (!left.length) landings += 1;
      detections += groups.flat().length - left.reduce((n, { group }) => n + group.length, 0);
    }
  }
  return { landings, detections };
}

/** Lands one group; if another request claimed one of its ids meanwhile, that one is a duplicate and the rest retry. */
async function landGroup(
  deps: Omit<IngestDeps, 'idempotency' | 'uploads' | 'landings'>, from: { deviceId: string; source: DetectionSource; actor: Actor },
  group: Accepted[], results: DetectionResult[],
  /** The device's quota was counted for it already (reserved by its request). */
  options: { counted?: boolean } = {},
): Promise<boolean> {
  let pending = group;
  while (pending.length) {
    const maxConfidence = Math.max(...pending.map((g) => g.detection.confidence));
    // The frames' pooled position: the noise of single frames averages out (their shared error does not).
    const location: Location = pooled(pending.map(({ detection: { location: fix } }) => ({ ...fix, accuracyM: accuracyOf(fix, from.source) })));
    const coldest = (field: 'ambientTempC' | 'surfaceTempC', also?: number) => {
      const values = [...pending.map((g) => g.detection[field]), also].filter((t): t is number => t !== undefined);
      return values.length ? { [field]: Math.min(...values) } : {};
    };
    const latest = pending.reduce((a, g) => (Date.parse(g.detection.observedAt) > Date.parse(a) ? g.detection.observedAt : a), pending[0]!.detection.observedAt);
    // Machines see a body, not who it is: one person of unknown age, graded with the coldest air and surface read.
    const grade = (weather?: WeatherNow) => assessRisk({
      people: [{ ageGroup: 'unknown', conditions: [] }], placeType: 'other', observedAt: latest,
      ...coldest('ambientTempC', weather?.airTempC), ...coldest('surfaceTempC'), coldWave: weather?.coldWave ?? false,
    });
    try {
      const outcome = await recordEvidence(deps, {
        kind: 'detection',
        actor: from.actor,
        source: from.source,
        location,
        observedAt: latest,
        placeType: 'other',
        risk: grade(),
        grade,
        coldest: { ...coldest('ambientTempC'), ...coldest('surfaceTempC') },
        credible: maxConfidence >= deps.correlation.confidenceThreshold,
        deviceId: from.deviceId,
        ...(options.counted ? {} : { quota: deviceQuota(from.deviceId, deps.quotas) }),
        maxConfidence,
        sightings: 0,
        detections: pending.length,
        items: () => [],
        timeline: (_caseId, at) => [{
          at, type: 'detection', actor: from.actor, source: from.source, deviceId: from.deviceId, count: pending.length,
          maxConfidence, observedAt: latest,
        }],
        detectionRecords: (caseId) => pending.map(({ detection }) => ({
          ...detectionKey(from.deviceId, detection.detectionId),
          ...caseDetectionIndexKeys(caseId, detection.observedAt, from.deviceId, detection.detectionId),
          entity: 'detection',
          ...detection,
          deviceId: from.deviceId,
          source: from.source,
          caseId,
          receivedAt: deps.now().toISOString(),
        })),
      });
      for (const { index, detection } of pending) results[index] = { detectionId: detection.detectionId, status: 'accepted', caseId: outcome.caseId };
      return outcome.created;
    } catch (error) {
      if (!(error instanceof DuplicateDetection)) throw error;
      const claimed = String(error.key.sk);
      const [found] = (await deps.detectionIds.find(from.deviceId, [claimed])).values();
      for (const { index, detection } of pending.filter((g) => g.detection.detectionId === claimed)) {
        results[index] = { detectionId: detection.detectionId, status: 'duplicate', ...(found ? { caseId: found } : {}) };
      }
      pending = pending.filter((g) => g.detection.detectionId !== claimed);
    }
  }
  // Every detection of the group was someone else's already: nothing opened.
  return false;
}
