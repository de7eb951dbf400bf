import type { z } from 'zod';
import {
  CHECK_IN_REACH_RADII, type Coverage, type CreateCheckRequest, type CreatePositionsResponse, type GeoJsonHotSpots,
  type HotSpotInput, type ImportHotSpotsRequest, POSITION_MAX_AGE_HOURS, PositionReport,
} from '../contract/campaign';
import type { Role } from '../contract/vocabulary';
import { seesEverything } from '../domain/access-policy';
import { campaignOf, isHolidayNight, nightlyTarget, nightOf, nightWindow } from '../domain/campaign';
import type { Actor } from '../domain/case';
import { checksOf, coverageOf, type TeamPosition } from '../domain/coverage';
import { conflict, forbidden, invalid, notFound } from '../domain/errors';
import { distanceM } from '../domain/geo';
import { responsibleStationFor } from '../domain/station-area';
import { isSevereColdWave, warningsInForce } from '../domain/warning-span';
import { campaignNotice } from '../domain/notification';
import { viewObjectKey } from '../store/keys';
import type { HotSpot } from '../store/directory-store';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotentCreate, idFromKey } from './idempotent';
import { reportSighting } from './report-sighting';
import type { EvidenceDeps } from './record-evidence';

export type Deps = Pick<Dependencies, 'directory' | 'campaign' | 'idempotency' | 'now'>;

// ─── Hot spots ───────────────────────────────────────────────────────────────────────────────────────────────

const PRIORITY_ORDER = { high: 0, normal: 1 } as const;
const byPriorityThenName = (a: HotSpot, b: HotSpot) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.name.localeCompare(b.name, 'zh-CN');

const hotSpotOf = (hotSpotId: string, input: Omit<HotSpotInput, 'hotSpotId'>): HotSpot => ({
  hotSpotId, name: input.name, type: input.type, location: { lat: input.location.lat, lon: input.location.lon },
  radiusM: input.radiusM, priority: input.priority, ...(input.district ? { district: input.district } : {}),
});

export async function createHotSpot(deps: Deps, input: { request: HotSpotInput; idempotency?: IdempotentRequest }) {
  return idempotentCreate(deps, input.idempotency, async () => {
    const hotSpot = hotSpotOf(input.request.hotSpotId ?? idFromKey('hs', input.idempotency), input.request);
    await deps.directory.create('hot_spot', hotSpot);
    return { statusCode: 201, body: hotSpot };
  });
}

export async function replaceHotSpot(deps: Pick<Deps, 'directory'>, hotSpotId: string, request: Omit<HotSpotInput, 'hotSpotId'>) {
  const hotSpot = hotSpotOf(hotSpotId, request);
  if (!(await deps.directory.replace('hot_spot', hotSpot))) throw notFound(`no hot spot ${hotSpotId}`);
  return hotSpot;
}

export async function deleteHotSpot(deps: Pick<Deps, 'directory'>, hotSpotId: string) {
  if (!(await deps.directory.remove('hot_spot', hotSpotId))) throw notFound(`no hot spot ${hotSpotId}`);
}

export async function listHotSpots(deps: Pick<Deps, 'directory'>): Promise<HotSpot[]> {
  return (await deps.directory.list('hot_spot')).sort(byPriorityThenName);
}

/** Hot spots from GeoJSON (validated whole before anything is stored): created, or replaced by id. */
export async function importHotSpots(deps: Pick<Deps, 'directory'>, collection: z.output<typeof ImportHotSpotsRequest>) {
  const known = new Set((await deps.directory.list('hot_spot')).map((h) => h.hotSpotId));
  let created = 0;
  for (const feature of collection.features) {
    const [lon, lat] = feature.geometry.coordinates;
    await deps.directory.put('hot_spot', hotSpotOf(feature.id, { ...feature.properties, location: { lat, lon } }));
    if (!known.has(feature.id)) created += 1;
    known.add(feature.id);
  }
  return { created, replaced: collection.features.length - created };
}

/** The hot spots as GeoJSON (RFC 7946: longitude first), for GIS tools and for import elsewhere. */
export function hotSpotsAsGeoJson(hotSpots: readonly HotSpot[]): z.output<typeof GeoJsonHotSpots> {
  return {
    type: 'FeatureCollection',
    features: hotSpots.map(({ hotSpotId, location, ...properties }) => ({
      type: 'Feature', id: hotSpotId, geometry: { type: 'Point', coordinates: [location.lon, location.lat] }, properties,
    })),
  };
}

// ─── Positions ───────────────────────────────────────────────────────────────────────────────────────────────

/** The caller's team, which must be in the directory: a member of no known team acts on nothing. */
async function callersTeam(deps: Pick<Deps, 'directory'>, actor: Actor): Promise<string> {
  if (!actor.teamId) throw forbidden('this token names no team: positions and check-ins are a team\'s');
  if (!(await deps.directory.get('team', actor.teamId))) throw forbidden(`team ${actor.teamId} is not in the directory`);
  return actor.teamId;
}

/**
 * A batch of a team's positions: each checked alone, those already on record (same team and `at`) counted as
 * duplicates, the rest stored for their night, and the team's last position moved forward (never back).
 */
export async function recordPositions(
  deps: Deps & Pick<Dependencies, 'retention'>,
  input: { actor: Actor; positions: unknown[]; idempotency?: IdempotentRequest },
) {
  const teamId = await callersTeam(deps, input.actor);
  return idempotentCreate<z.output<typeof CreatePositionsResponse>>(deps, input.idempotency, async () => {
    const now = deps.now().getTime();
    const rejected: { index: number; error: string }[] = [];
    const valid: { at: string; night: string; lat: number; lon: number; accuracyM?: number }[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    input.positions.forEach((raw, index) => {
      const parsed = PositionReport.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        rejected.push({ index, error: `${issue.path.join('.') || 'position'}: ${issue.message}` });
        return;
      }
      const atMs = Date.parse(parsed.data.at);
      if (now - atMs > POSITION_MAX_AGE_HOURS * 3_600_000) {
        rejected.push({ index, error: `at: is more than ${POSITION_MAX_AGE_HOURS} hours old` });
        return;
      }
      const at = new Date(atMs).toISOString();
      if (seen.has(at)) {
        duplicates += 1;
        return;
      }
      seen.add(at);
      valid.push({ at, night: nightOf(atMs), lat: parsed.data.lat, lon: parsed.data.lon, ...(parsed.data.accuracyM !== undefined ? { accuracyM: parsed.data.accuracyM } : {}) });
    });
    const stored = await deps.campaign.storedPositions(teamId, valid);
    const fresh = valid.filter((_, i) => !stored[i]);
    duplicates += valid.length - fresh.length;
    const expiresAt = Math.floor(now / 1000) + deps.retention.positionDays * 86_400;
    await deps.campaign.putPositions(teamId, fresh, expiresAt);
    const latest = valid.reduce<(typeof valid)[number] | undefined>((a, p) => (!a || p.at > a.at ? p : a), undefined);
    if (latest) {
      const { night: _night, ...position } = latest;
      await deps.campaign.advanceLastPosition(teamId, position);
    }
    return { statusCode: 200, body: { accepted: fresh.length, duplicates, rejected } };
  });
}

// ─── Check-ins ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A team's check-in at a hot spot. With people found, the sighting is reported in the same request (its case is
 * answered); a retry with the same Idempotency-Key reports it once.
 */
export async function checkInAtHotSpot(
  deps: Deps & EvidenceDeps & Pick<Dependencies, 'uploads'>,
  input: { hotSpotId: string; request: z.output<typeof CreateCheckRequest>; actor: Actor; idempotency?: IdempotentRequest },
) {
  const { request, actor } = input;
  const teamId = await callersTeam(deps, actor);
  const spot = await deps.directory.get('hot_spot', input.hotSpotId);
  if (!spot) throw notFound(`no hot spot ${input.hotSpotId}`);
  const distance = Math.round(distanceM(request.location, spot.location));
  const reach = CHECK_IN_REACH_RADII * spot.radiusM;
  if (distance > reach) {
    throw conflict(`this check-in is ${distance} m from 「${spot.name}」; a check-in must be within ${reach} m of it (${CHECK_IN_REACH_RADII} times its radius)`);
  }
  if (request.photoUploadId) {
    const upload = await deps.uploads.get(request.photoUploadId);
    if (!upload || upload.purpose !== 'check_in_photo' || upload.uploadedBy.sub !== actor.sub || upload.status === 'rejected') {
      throw invalid(`photoUploadId: ${request.photoUploadId} is not a check-in photo you uploaded`, [{ path: 'photoUploadId', message: 'is not a check-in photo you uploaded' }]);
    }
  }
  return idempotentCreate(deps, input.idempotency, async () => {
    const checkId = idFromKey('chk', input.idempotency);
    let sighting: { sightingId: string; caseId: string } | undefined;
    if (request.outcome === 'people_found' && request.people) {
      const reported = await reportSighting(deps, {
        request: {
          observedAt: request.at, location: request.location, place: { type: spot.type, name: spot.name }, people: request.people,
          teamId, ...(request.note ? { note: request.note } : {}),
        },
        actor,
        // The sighting is the check's: a retry of the check replays it rather than reporting it again.
        ...(input.idempotency ? { idempotency: { scope: `${input.idempotency.scope}#sighting`, hash: input.idempotency.hash } } : {}),
      });
      sighting = { sightingId: reported.body.sightingId, caseId: reported.body.caseId };
    }
    await deps.campaign.putCheckIn({
      checkId, hotSpotId: spot.hotSpotId, teamId, at: new Date(request.at).toISOString(), night: nightOf(Date.parse(request.at)),
      location: request.location, outcome: request.outcome, distanceM: distance,
      ...(request.photoUploadId ? { photoUploadId: request.photoUploadId } : {}),
      ...(request.note ? { note: request.note } : {}),
      ...sighting, by: actor, receivedAt: deps.now().toISOString(),
    });
    return { statusCode: 201, body: { checkId, ...sighting, distanceM: distance } };
  });
}

/** A check-in photo's link lives this long (as a case photo's). */
const CHECK_PHOTO_URL_SECONDS = 300;

/** A hot spot's check-ins of a night, newest first, with a short-lived link to each photo (its copy without metadata). */
export async function listCheckIns(
  deps: Pick<Deps, 'directory' | 'campaign' | 'now'> & Pick<Dependencies, 'uploads' | 'bucket'>, hotSpotId: string, night: string | undefined,
) {
  if (!(await deps.directory.get('hot_spot', hotSpotId))) throw notFound(`no hot spot ${hotSpotId}`);
  const theNight = night ?? nightOf(deps.now().getTime());
  const checkIns = (await deps.campaign.checkInsOf(theNight)).filter((c) => c.hotSpotId === hotSpotId).reverse();
  return {
    night: theNight,
    items: await Promise.all(checkIns.map(async (c) => {
      const photo = c.photoUploadId ? await deps.uploads.get(c.photoUploadId) : undefined;
      return {
        checkId: c.checkId, teamId: c.teamId, at: c.at, outcome: c.outcome, distanceM: c.distanceM,
        ...(c.note ? { note: c.note } : {}), ...(c.caseId ? { caseId: c.caseId } : {}),
        ...(photo?.status === 'stored'
          ? { photoUrl: await deps.bucket.presignGet(viewObjectKey(photo.purpose, photo.uploadId), CHECK_PHOTO_URL_SECONDS) }
          : photo ? { photo: photo.status } : {}),
      };
    })),
  };
}

// ─── Coverage ────────────────────────────────────────────────────────────────────────────────────────────────

/** Team partitions read at once for a night's coverage. */
const TEAMS_IN_FLIGHT = 8;

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

/** Whether a cold-wave warning of level yellow or above was in force at some time of the night, and the warnings that were. */
async function nightWeather(deps: Pick<Deps, 'campaign'>, night: string) {
  const { start, end } = nightWindow(night);
  const inForce = warningsInForce(await deps.campaign.warnings(), start, end);
  return { coldWave: inForce.some(isSevereColdWave), warnings: inForce };
}

/**
 * The campaign's reads (coverage, the night's report) are for coordinators and for members of a station the
 * directory has: a station member whose station it does not know reads nothing, as with cases.
 */
export async function mayReadCampaign(deps: Pick<Deps, 'directory'>, principal: { roles: readonly Role[]; stationId?: string }): Promise<void> {
  if (seesEverything(principal)) return;
  if (!principal.stationId || !(await deps.directory.get('station', principal.stationId))) {
    throw forbidden(`station ${principal.stationId ?? '(none in the token)'} is not in the directory`);
  }
}

/** A night's coverage: every hot spot's checks (dwells and check-ins) against its target. */
export async function nightCoverage(
  deps: Deps & Pick<Dependencies, 'campaignRules' | 'coverageRules'>, night: string | undefined,
  /** A station's coverage: the hot spots it answers for, in its area or nearest (the same share its reminders name). */
  options: { stationId?: string } = {},
): Promise<z.output<typeof Coverage>> {
  return (await readNightCoverage(deps, night, options)).coverage;
}

/** The coverage, with what it read that the night's report needs too: every hot spot, the warnings in force. */
export async function readNightCoverage(
  deps: Deps & Pick<Dependencies, 'campaignRules' | 'coverageRules'>, night: string | undefined, options: { stationId?: string } = {},
) {
  const theNight = night ?? nightOf(deps.now().getTime());
  const { start, end } = nightWindow(theNight);
  const [allSpots, teams, checkIns, weather, stations] = await Promise.all([
    deps.directory.list('hot_spot'), deps.directory.list('team'), deps.campaign.checkInsOf(theNight), nightWeather(deps, theNight),
    options.stationId ? deps.directory.list('station') : Promise.resolve([]),
  ]);
  const spots = options.stationId ? allSpots.filter((s) => responsibleStationFor(stations, s.location)?.stationId === options.stationId) : allSpots;
  const positions = new Map<string, TeamPosition[]>(await inBatches(teams, TEAMS_IN_FLIGHT, async (team) => [
    team.teamId,
    (await deps.campaign.positionsOf(team.teamId, theNight))
      .map((p) => ({ at: Date.parse(p.at), lat: p.lat, lon: p.lon, ...(p.accuracyM !== undefined ? { accuracyM: p.accuracyM } : {}) }))
      .filter((p) => p.at >= start && p.at < end),
  ] as const));
  const inNight = checkIns.filter((c) => Date.parse(c.at) >= start && Date.parse(c.at) < end)
    .map((c) => ({ hotSpotId: c.hotSpotId, teamId: c.teamId, at: Date.parse(c.at) }));
  const holiday = isHolidayNight(theNight);
  const checks = checksOf(spots, positions, inNight, deps.coverageRules);
  const items = coverageOf(spots, checks, (spot) => nightlyTarget(spot.priority, { coldWave: weather.coldWave, holiday }, deps.campaignRules));
  const byId = new Map(spots.map((s) => [s.hotSpotId, s]));
  const shown = items.map((item) => {
    const spot = byId.get(item.hotSpotId)!;
    return {
      hotSpotId: item.hotSpotId, name: spot.name, priority: spot.priority, ...(spot.district ? { district: spot.district } : {}),
      location: { lat: spot.location.lat, lon: spot.location.lon },
      target: item.target, checks: item.checks,
      ...(item.lastCheckedAt !== undefined ? { lastCheckedAt: new Date(item.lastCheckedAt).toISOString(), lastTeamId: item.lastTeamId! } : {}),
      covered: item.covered,
    };
  }).sort((a, b) => Number(a.covered) - Number(b.covered) || PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.name.localeCompare(b.name, 'zh-CN'));
  const campaign = campaignOf(theNight, deps.campaignRules.period);
  const coverage: z.output<typeof Coverage> = {
    night: theNight, coldWave: weather.coldWave, holiday, ...(campaign ? { campaign } : {}), items: shown,
    summary: { hotSpots: shown.length, covered: shown.filter((i) => i.covered).length },
  };
  return { coverage, hotSpots: allSpots, warnings: weather.warnings };
}

// ─── Reminders of hot spots unchecked ────────────────────────────────────────────────────────────────────────

/** Names listed in one reminder; the rest are counted. */
const REMINDER_NAMES = 12;
/** A reminder more than this late (the scheduler was down) is not sent: the next one, or the morning's report, says it. */
const REMINDER_LATE_MS = 3_600_000;

/**
 * At each reminder hour of the night (defaults 23:00 and 02:00), each station is told which of its high-priority hot
 * spots (those it answers for) are still not checked enough tonight, through the outbox, once per night and hour.
 */
export async function remindUncheckedHotSpots(
  deps: Deps & Pick<Dependencies, 'campaignRules' | 'coverageRules' | 'notifications' | 'notifier'> & { reminderHours: readonly number[] },
): Promise<{ sent: number }> {
  const now = deps.now().getTime();
  const night = nightOf(now);
  // Outside the campaign's period nobody is reminded (the patrols' targets are the campaign's).
  if (!campaignOf(night, deps.campaignRules.period)) return { sent: 0 };
  const { start } = nightWindow(night);
  // The reminder hours in the night's order (23:00 before 02:00).
  const due = deps.reminderHours.map((hour) => ({ hour, at: start + (((hour - 18 + 24) % 24) * 3_600_000) }))
    .filter(({ at }) => at <= now && now - at < REMINDER_LATE_MS);
  let sent = 0;
  for (const { hour } of due) {
    const marker = `coverage-reminder#${night}#${String(hour).padStart(2, '0')}`;
    const [coverage, stations] = await Promise.all([nightCoverage(deps, night), deps.directory.list('station')]);
    if (!stations.length) continue;
    const unchecked = coverage.items.filter((i) => !i.covered && i.priority === 'high');
    const byStation = new Map<string, typeof unchecked>();
    for (const item of unchecked) {
      const { stationId } = responsibleStationFor(stations, item.location)!;
      (byStation.get(stationId) ?? byStation.set(stationId, []).get(stationId)!).push(item);
    }
    const at = new Date(now).toISOString();
    const notices = stations.filter((s) => byStation.has(s.stationId)).map((station) => {
      const items = byStation.get(station.stationId)!;
      const names = items.slice(0, REMINDER_NAMES).map((i) => `${i.name}（${i.checks}/${i.target}）`).join('、');
      return campaignNotice({
        kind: 'coverage', to: { kind: 'station', id: station.stationId, name: station.name }, at, risk: coverage.coldWave ? 'orange' : 'yellow',
        text: `【巡查提醒】截至${String(hour).padStart(2, '0')}:00，今晚${items.length}处重点点位尚未巡查到位：${names}${items.length > REMINDER_NAMES ? '等' : ''}。请安排巡查`,
      });
    });
    if (await deps.campaign.remindOnce(marker, notices.map((n) => deps.notifications.put(n)))) {
      sent += notices.length;
      if (notices.length) await deps.notifier.dispatch(notices).catch(() => undefined);
    }
  }
  return { sent };
}
