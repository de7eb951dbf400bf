/**
 * Every DynamoDB key of the single table is built here and nowhere else.
 *
 *   entity        pk                       sk                      gsi1 (all cases)          gsi2 (by status)
 *   case          CASE#<caseId>            CASE                    CASES / <openedAt>#<id>   STATUS#<s> / <openedAt>#<id>
 *                 and gsi3 (changes, keys only): CHG#<hour changed> / <minute of that hour>#<hour opened>
 *   timeline      CASE#<caseId>            TL#<at>#<ulid>          FEED#<hour written> / <writtenAt>#<ulid> (the live feed)
 *   sighting      CASE#<caseId>            SIGHTING#<sightingId>
 *   photo         CASE#<caseId>            PHOTO#<uploadId>
 *   wait token    CASE#<caseId>            WAIT#<since>            (the workflow's task token while it waits; expires through the TTL)
 *   notification  CASE#<caseId>            NOTIFY#<notificationId>                            NOTIFY_PENDING / <createdAt>#<caseId>#<id>
 *                 (the outbox: a message and its delivery; in the gsi2 partition only while pending, a sparse index)
 *   detection     DETECTION#<deviceId>     <detectionId>           CASE_DETECTIONS#<caseId> / <observedAt>#<device>/<id>
 *                 (keyed by what the device sends, so a repeated detectionId is refused by the same write that records it)
 *   place cell    PLACE#<geohash7>         PLACE                    (versioned index of recent cases near by)
 *   upload        UPLOAD#<uploadId>        UPLOAD                  (pending ones expire through the TTL attribute)
 *   idempotency   IDEMPOTENCY#<scope>      IDEMPOTENCY             (expires through the TTL attribute)
 *   directory     DIRECTORY#<kind>         <kind>#<id>             (teams, stations, help points, hot spots, devices: small partitions)
 *   api key       HELP_POINT_KEY#<sha256>  HELP_POINT_KEY          (a help point found by its Open311 api_key's hash)
 *   device client DEVICE_CLIENT#<clientId> DEVICE_CLIENT          (an active device found by its app client, for the authorizer)
 *   open311       OPEN311#<requestId>      OPEN311_REQUEST         (a help point's report, as Open311 shows it)
 *   open311 list  OPEN311_HP#<helpPointId> <requestedAt>#<requestId> (a help point's reports, by time)
 *   contact due   OPEN311_CONTACTS         <until>#<requestId>     (a reporter's contact to erase, kept only on request)
 *   weather       WEATHER                  <observedAt>#<recordId> (air temperature records, newest read first)
 *   access log    ACCESS#<caseId>          <at>#<ulid>             (who read a case, newest last; expires through the TTL)
 *   landing       LANDING                  <receivedAt>#<ulid>     (detections accepted but not landed in time: landed within a minute)
 *   marker        MARKER#<name>            MARKER
 *   position      POSITION#<teamId>#<night> <at>                  (a team's positions, by the night they count for; expire through the TTL)
 *   last position TEAM_POSITION            <teamId>               (each team's latest position: one small partition)
 *   check-in      CHECKS#<night>           <at>#<checkId>          (拍照打卡 at hot spots, by night)
 *   warning       WARNINGS                 <identifier>            (CAP weather warnings: tens a season, one partition)
 *   supplies      SUPPLIES                 <stationId>             (a station's stock, and the shortfalls it was last told of)
 *   person        PERSON#<personId>        FILE                    PEOPLE / <createdAt>#<id>  PEOPLE_IN#<stationId> / <since>#<id>
 *                 (one file per person; in the gsi2 partition of its station only while in it, a sparse index)
 *   person near   PERSON_NEAR#<geohash7>   <personId>              (where a person was met: "possibly known" at a new case)
 *   figures       STATS#<scope>            HOUR#<start> | DAY#<start>  (kept figures of the cases opened in an hour, a
 *                 Shanghai day; scope ALL or STATION#<stationId>)
 */
export const TABLE_KEYS = { pk: 'pk', sk: 'sk' } as const;
export const GSI_ALL_CASES = 'gsi1';
export const GSI_CASES_BY_STATUS = 'gsi2';
/** Cases by when they last changed (to the minute), keys only: what the kept figures must count again. */
export const GSI_CASE_CHANGES = 'gsi3';
export const TTL_ATTRIBUTE = 'expiresAt';

const utc = (iso: string) => new Date(iso).toISOString();

export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
export const casePartition = (caseId: string) => `CASE#${caseId}`;

/** The all-cases index partition: every case, by when it was opened. */
export const ALL_CASES_PARTITION = 'CASES';

export const caseIndexKeys = (caseId: string, openedAt: string, status: string) => ({
  gsi1pk: ALL_CASES_PARTITION,
  gsi1sk: `${utc(openedAt)}#${caseId}`,
  gsi2pk: caseStatusPartition(status),
  gsi2sk: `${utc(openedAt)}#${caseId}`,
});
export const caseStatusPartition = (status: string) => `STATUS#${status}`;

/**
 * A case's entry in the change index: the hour it last changed (the partition), the minute within it, and the hour it
 * was opened in (what the kept figures count again); no more, as every byte is copied into the case's other indexes
 * too. A change in the same minute as the last one writes the same keys, so the index is not written again (a
 * camera's detections joining every few seconds cost it nothing).
 */
export const changePartition = (hour: string) => `CHG#${hour}`;
export const caseChangeIndexKeys = (openedAt: string, changedAt: string) => {
  const changed = utc(changedAt);
  return { gsi3pk: changePartition(changed.slice(0, 13)), gsi3sk: `${changed.slice(14, 16)}#${utc(openedAt).slice(0, 13)}` };
};
/** The minute (within its hour) and the opening hour (its start, an ISO instant) of a change index sort key. */
export const changeOfSortKey = (sk: string) => {
  const [minute, openedHour] = sk.split('#');
  return { minute: minute!, openedHour: `${openedHour!}:00:00.000Z` };
};
/** Lower bound of the index sort key for cases opened at or after `since`. */
export const openedSinceBound = (since: string) => utc(since);
/**
 * Sort-key bounds (both included, as BETWEEN takes them) of the cases opened in [from, to): a sort key is
 * `<openedAt>#<caseId>`, so a case opened exactly at `to` sorts after the bare instant and is left out.
 */
export const openedInWindowBounds = (from: string, to: string) => ({ from: utc(from), to: utc(to) });

export const timelineKey = (caseId: string, at: string, entryId: string) => ({
  pk: casePartition(caseId),
  sk: `TL#${utc(at)}#${entryId}`,
});
/**
 * The live feed: every timeline entry is also indexed under the UTC hour it was WRITTEN, sorted by write time, not by
 * its `at` (a sighting's may be backdated), so a reader polling "after my position" never misses one.
 * A feed position is such a sort key, or an instant, which sorts before every entry written in that millisecond.
 */
export const feedPartition = (hour: string) => `FEED#${hour}`;
export const feedIndexKeys = (writtenAt: string, entryId: string) => ({
  gsi1pk: feedPartition(feedHourOf(utc(writtenAt))),
  gsi1sk: `${utc(writtenAt)}#${entryId}`,
});
export const feedPositionAt = (instant: string | Date) => (typeof instant === 'string' ? utc(instant) : instant.toISOString());
/** The instant of a position (an ISO string in UTC), and the hour partition it falls in (`2026-01-12T14`). */
export const feedInstantOf = (position: string) => position.slice(0, 24);
export const feedHourOf = (position: string) => position.slice(0, 13);
export const feedHourStart = (hour: string) => `${hour}:00:00.000Z`;
export const feedNextHour = (hour: string) => feedHourOf(new Date(Date.parse(feedHourStart(hour)) + 3_600_000).toISOString());
export const isFeedPosition = (value: string) => {
  const instant = feedInstantOf(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z(#[0-9A-HJKMNP-TV-Z]{26})?$/.test(value)
    && !Number.isNaN(Date.parse(instant)) && new Date(instant).toISOString() === instant;
};

/** The task token of a workflow waiting on the case since `since` (one item per wait; they expire through the TTL). */
export const waitTokenKey = (caseId: string, since: string) => ({ pk: casePartition(caseId), sk: `WAIT#${utc(since)}` });
export const sightingKey = (caseId: string, sightingId: string) => ({ pk: casePartition(caseId), sk: `SIGHTING#${sightingId}` });
export const NOTIFICATION_PREFIX = 'NOTIFY#';
export const notificationKey = (caseId: string, notificationId: string) => ({ pk: casePartition(caseId), sk: `${NOTIFICATION_PREFIX}${notificationId}` });
/** Pending notifications, oldest first, in a gsi2 partition of their own; delivered or failed ones leave it. */
export const NOTIFICATIONS_PENDING = 'NOTIFY_PENDING';
export const pendingNotificationIndexKeys = (createdAt: string, caseId: string, notificationId: string) => ({
  gsi2pk: NOTIFICATIONS_PENDING,
  gsi2sk: `${utc(createdAt)}#${caseId}#${notificationId}`,
});
/** Upper bound (excluded) of the pending index's sort key for notifications created before `before`. */
export const createdBeforeBound = (before: string) => utc(before);
export const photoKey = (caseId: string, uploadId: string) => ({ pk: casePartition(caseId), sk: `PHOTO#${uploadId}` });

export const uploadKey = (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' });

/** Where an upload's bytes live in the bucket; the object-created handler reads the upload id back from it. */
export const uploadObjectKey = (purpose: string, uploadId: string) => `uploads/${purpose}/${uploadId}`;
export const UPLOAD_OBJECT_PREFIX = 'uploads/';
/** The copy people view, without metadata; outside uploads/ so writing it does not trigger processing again. */
export const VIEW_OBJECT_PREFIX = 'views/';
export const viewObjectKey = (purpose: string, uploadId: string) => `${VIEW_OBJECT_PREFIX}${purpose}/${uploadId}`;
/** The crop of an analysed thermal frame around its n-th hot spot, with the box drawn. */
export const frameCropKey = (uploadId: string, n: number) => `${VIEW_OBJECT_PREFIX}thermal_frame/${uploadId}/${n}.png`;
export const uploadIdFromObjectKey = (key: string) => /^uploads\/[a-z_]+\/(upl-[0-9A-Z]{26})$/.exec(key)?.[1];

export const detectionKey = (deviceId: string, detectionId: string) => ({ pk: `DETECTION#${deviceId}`, sk: detectionId });
/** A case's detections, oldest first, through the all-cases index under a partition of their own. */
export const caseDetectionsPartition = (caseId: string) => `CASE_DETECTIONS#${caseId}`;
export const caseDetectionIndexKeys = (caseId: string, observedAt: string, deviceId: string, detectionId: string) => ({
  gsi1pk: caseDetectionsPartition(caseId),
  gsi1sk: `${utc(observedAt)}#${deviceId}/${detectionId}`,
});
export const placeCellKey = (cell: string) => ({ pk: `PLACE#${cell}`, sk: 'PLACE' });

export const idempotencyKey = (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' });

/** Detections accepted by a request that ran out of time, waiting to be landed (oldest first). */
export const LANDING_PARTITION = 'LANDING';
export const landingKey = (receivedAt: string, id: string) => ({ pk: LANDING_PARTITION, sk: `${utc(receivedAt)}#${id}` });

/** One subject's count of new cases in one clock hour (shared/domain/quota.ts). */
export const quotaKey = (subject: string, hour: string) => ({ pk: `QUOTA#${subject}`, sk: `HOUR#${hour}` });

export type DirectoryKind = 'team' | 'station' | 'help_point' | 'hot_spot' | 'device' | 'member';
export const directoryPartition = (kind: DirectoryKind) => `DIRECTORY#${kind}`;
export const directoryKey = (kind: DirectoryKind, id: string) => ({ pk: directoryPartition(kind), sk: `${kind}#${id}` });
export const helpPointApiKeyKey = (apiKeyHash: string) => ({ pk: `HELP_POINT_KEY#${apiKeyHash}`, sk: 'HELP_POINT_KEY' });
/** Finds a device by the app client its token names (`client_id`); only an active device's client has one. */
export const deviceClientKey = (clientId: string) => ({ pk: `DEVICE_CLIENT#${clientId}`, sk: 'DEVICE_CLIENT' });
/** The directory's audit trail: every change to a station, team or help point, by time (a few a day: one partition). */
export const DIRECTORY_CHANGES_PARTITION = 'DIRECTORY_CHANGES';
export const directoryChangeKey = (at: string, changeId: string) => ({ pk: DIRECTORY_CHANGES_PARTITION, sk: `${utc(at)}#${changeId}` });

export const open311RequestKey = (requestId: string) => ({ pk: `OPEN311#${requestId}`, sk: 'OPEN311_REQUEST' });
export const open311HelpPointPartition = (helpPointId: string) => `OPEN311_HP#${helpPointId}`;
export const open311HelpPointEntryKey = (helpPointId: string, requestedAt: string, requestId: string) => ({
  pk: open311HelpPointPartition(helpPointId),
  sk: `${utc(requestedAt)}#${requestId}`,
});
/** Sort-key bounds (both included) of the help point entries requested between two instants. */
export const open311RequestedBetween = (from: string, to: string) => ({ from: utc(from), to: `${utc(to)}#\uffff` });

/** Reporters' contact details kept for feedback, by when they must go (a TTL in the cloud, the retention sweep locally). */
export const OPEN311_CONTACTS_PARTITION = 'OPEN311_CONTACTS';
export const open311ContactKey = (until: string, requestId: string) => ({ pk: OPEN311_CONTACTS_PARTITION, sk: `${utc(until)}#${requestId}` });

export const WEATHER_PARTITION = 'WEATHER';
export const weatherKey = (observedAt: string, recordId: string) => ({ pk: WEATHER_PARTITION, sk: `${utc(observedAt)}#${recordId}` });

export const accessLogPartition = (caseId: string) => `ACCESS#${caseId}`;
export const accessLogKey = (caseId: string, at: string, entryId: string) => ({ pk: accessLogPartition(caseId), sk: `${utc(at)}#${entryId}` });

/** A team's positions of one night (`YYYY-MM-DD`, the evening it began), by time. */
export const positionPartition = (teamId: string, night: string) => `POSITION#${teamId}#${night}`;
export const positionKey = (teamId: string, night: string, at: string) => ({ pk: positionPartition(teamId, night), sk: utc(at) });
export const TEAM_POSITIONS_PARTITION = 'TEAM_POSITION';
export const teamPositionKey = (teamId: string) => ({ pk: TEAM_POSITIONS_PARTITION, sk: teamId });
export const checkInPartition = (night: string) => `CHECKS#${night}`;
export const checkInKey = (night: string, at: string, checkId: string) => ({ pk: checkInPartition(night), sk: `${utc(at)}#${checkId}` });
export const SUPPLIES_PARTITION = 'SUPPLIES';
export const suppliesKey = (stationId: string) => ({ pk: SUPPLIES_PARTITION, sk: stationId });
export const WARNINGS_PARTITION = 'WARNINGS';
export const warningKey = (identifier: string) => ({ pk: WARNINGS_PARTITION, sk: identifier });

export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'FILE' });
export const ALL_PEOPLE_PARTITION = 'PEOPLE';
export const peopleInStationPartition = (stationId: string) => `PEOPLE_IN#${stationId}`;
export const personNearKey = (cell: string, personId: string) => ({ pk: `PERSON_NEAR#${cell}`, sk: personId });
export const personNearPartition = (cell: string) => `PERSON_NEAR#${cell}`;

export const markerKey = (name: string) => ({ pk: `MARKER#${name}`, sk: 'MARKER' });

/** Kept figures: the whole city's (`ALL`), or a station's (the cases it is responsible for). */
export type FiguresScope = 'ALL' | `STATION#${string}`;
export const stationScope = (stationId: string): FiguresScope => `STATION#${stationId}`;
export const figuresPartition = (scope: FiguresScope) => `STATS#${scope}`;
export const figuresKey = (scope: FiguresScope, span: 'HOUR' | 'DAY', start: string) => ({ pk: figuresPartition(scope), sk: `${span}#${utc(start)}` });

/** The entity type of an item read from a case partition, from its sort key. */
export function entityOfCaseItem(sk: string): 'case' | 'timeline' | 'sighting' | 'photo' | 'detection' | 'notification' | 'unknown' {
  if (sk === 'CASE') return 'case';
  if (sk.startsWith('TL#')) return 'timeline';
  if (sk.startsWith('SIGHTING#')) return 'sighting';
  if (sk.startsWith('PHOTO#')) return 'photo';
  if (sk.startsWith('DETECTION#')) return 'detection';
  if (sk.startsWith(NOTIFICATION_PREFIX)) return 'notification';
  return 'unknown';
}
