import type { Location, Person } from '../contract/schemas';
import type { LeadSource } from '../contract/stats';
import type { CaseStatus, Outcome, PlaceType, RiskLevel, Role } from '../contract/vocabulary';
import type { EscalationRung } from './alert-policy';
import type { CaseDue } from './disposal';
import type { EstimateSums } from './position-estimate';

export interface Actor {
  sub: string;
  /** 'public': someone reporting at a help point, without an account (the help point is in `sub`). */
  role: Role | 'public';
  teamId?: string;
  stationId?: string;
  deviceId?: string;
}

export interface AlertTarget {
  kind: EscalationRung;
  id: string;
  name?: string;
}

/** The alert currently waiting for an acknowledgement: who was asked, on which rung, until when. */
export interface OpenAlert {
  rung: number;
  target: AlertTarget;
  alertedAt: string;
  deadline: string;
  /** The risk the deadline was set for; absent on alerts stored before it was kept. */
  risk?: RiskLevel;
}

/** A workflow task waiting on this case, completed through its task token when the case leaves `status`. */
/**
 * The workflow waiting for the case to leave `status`. Its task token (several hundred characters in AWS) is kept in
 * an item of its own under the case, not on the case, which every report rewrites and two indexes copy: `token` is
 * only on a wait as it is written, and is read back with CaseStore.waitToken.
 */
export interface WorkflowWait {
  token?: string;
  status: CaseStatus;
  since: string;
}

export interface Case {
  caseId: string;
  status: CaseStatus;
  risk: RiskLevel;
  riskReasons: string[];
  /** Where its people are estimated to be (from estimateSums, shared/domain/position-estimate.ts), and how surely. */
  location: Location;
  /**
   * The estimate as the reports made it: sums every joining report adds to. Absent on cases stored before it was
   * kept, whose location is the first report's.
   */
  estimateSums?: EstimateSums;
  placeType: PlaceType;
  placeName?: string;
  /** Where the name came from: a person's report, or the nearest known hot spot (shared/domain/place-name.ts). */
  placeNameSource?: 'report' | 'nearby';
  /** Where the place type came from: a person's report, or a machine's guess. */
  placeTypeSource?: 'sighting' | 'detection';
  openedAt: string;
  updatedAt: string;
  sightingCount: number;
  detectionCount: number;
  /**
   * The reports counted in sightingCount and detectionCount, by where they came from. Cases stored before reports
   * were counted by source have none, or count only the later ones: the counts may sum to less than the totals.
   */
  reportsBySource?: Partial<Record<LeadSource, number>>;
  /** Where the report that opened the case came from; absent on cases stored before it was kept. */
  leadSource?: LeadSource;
  photoCount: number;
  stationId?: string;
  reportedByTeamId?: string;
  alert?: OpenAlert;
  wait?: WorkflowWait;
  /** When the people of this case were last reported (sighting or detection): correlation's clock. */
  lastSeenAt: string;
  resolvedAt?: string;
  outcome?: Outcome;
  /** What the workflow waits for after acknowledgement (arrival, outcome, intake, discharge, a revisit) and until when. */
  due?: CaseDue;
  /** The team sent to the case: the one that acknowledged, or the one a station dispatched. */
  assignedTeamId?: string;
  /** A station that handles the case itself: who it sent (a name). */
  assignee?: string;
  /** The files (一人一档) of the people of this case: linked by a person, never by the system. */
  personIds?: string[];
  /** Who came into the station, as it registered them at intake: the case's people from then on. */
  intakePeople?: Person[];
  acknowledgedAt?: string;
  arrivedAt?: string;
  closedAt?: string;
  /** Why the case closed, in words (the outcome, the revisit limit, an expired lead). */
  closeReason?: string;
  /** A medical handover: who took the person, where and when. */
  handover?: { to: string; place?: string; at: string };
  /** What was handed over to someone who declined help (a quilt, a coat, hot food...). */
  handedOver?: string[];
  /** The case this one was merged into (a second case of the same people): it is closed, its reports count there. */
  mergedInto?: string;
  /** Cases merged into this one; their sightings, detections and photos are read with it. */
  mergedFrom?: string[];
  /**
   * Active cases this one opened near (within the widest gate, but not fitting their estimates): perhaps the same
   * people reported far off. The station and coordinator are offered the merge; a person decides.
   */
  mergeCandidates?: string[];
  /** Revisits made to someone who declined help. */
  revisitCount?: number;
  /** Searches made again after a team did not find anyone. */
  searchCount?: number;
  /** Why the case is open again without new evidence: the next alert is a revisit or a second search. */
  pendingVisit?: 'revisit' | 'search_again';
  /** New evidence joined an active case: the workflow grades its risk again. */
  retriage?: boolean;
  /** Devices whose detections are in this case: two independent ones corroborate an unverified lead. */
  sourceDevices?: string[];
  /** Highest detection confidence in the case, when machines reported it. */
  maxConfidence?: number;
  /**
   * The coldest air and body-surface temperatures its detections read (°C), kept as they join so that grading a
   * case a camera watched all night does not read its thousand detections. Absent on cases stored before.
   */
  coldestAmbientC?: number;
  coldestSurfaceC?: number;
  /** The device and minute of the last detection entry on its timeline: one entry per device and minute. */
  detectionLog?: { deviceId: string; minute: string };
  /** Times the case was reopened because its people were seen again at the place after it was resolved. */
  reopenCount?: number;
  /** Bumped when the workflow must start afresh (a reopened case); names the execution. */
  workflowGeneration: number;
  /**
   * Teams and stations that were ever related to the case (alerted, dispatched, assigned, reporting, taking the
   * person in): the access policy reads them (shared/domain/access-policy.ts). Only ever added to, by the store.
   */
  relatedTeams?: string[];
  /** When its people's details, notes and photos were erased (retention, or on request): the rest stays for the figures. */
  erasedAt?: string;
  relatedStations?: string[];
  /** Optimistic-concurrency version: every update is conditional on the one it read. */
  version: number;
}

export interface TimelineEntry {
  at: string;
  type: string;
  actor?: Actor;
  [detail: string]: unknown;
}

export interface Sighting {
  sightingId: string;
  caseId: string;
  observedAt: string;
  receivedAt: string;
  location: Location;
  place: { type: PlaceType; name?: string };
  /** Who was seen; gone once the case's personal data is erased (retention), `peopleCount` saying how many. */
  people: Person[];
  peopleCount?: number;
  note?: string;
  teamId?: string;
  reportedBy: Actor;
  source: 'patrol' | 'coordinator' | 'public';
  helpPointId?: string;
}

/** What a list of cases shows of each: the case without its evidence ids and workflow bookkeeping. */
export type CaseSummary = Pick<Case,
  'caseId' | 'lastSeenAt' | 'status' | 'risk' | 'location' | 'placeType' | 'placeName' | 'openedAt' | 'updatedAt'
  | 'sightingCount' | 'detectionCount' | 'photoCount' | 'alert' | 'reopenCount' | 'maxConfidence' | 'due' | 'assignedTeamId'
  | 'outcome' | 'acknowledgedAt' | 'resolvedAt' | 'closedAt' | 'assignee' | 'mergeCandidates'> & {
    /** How much of the case the caller may read (shared/domain/access-policy.ts): a summary cannot be opened. */
    access?: 'full' | 'summary';
  };

export const summarize = (c: Case): CaseSummary => ({
  caseId: c.caseId,
  status: c.status,
  risk: c.risk,
  location: c.location,
  placeType: c.placeType,
  ...(c.placeName ? { placeName: c.placeName } : {}),
  openedAt: c.openedAt,
  updatedAt: c.updatedAt,
  sightingCount: c.sightingCount,
  detectionCount: c.detectionCount,
  photoCount: c.photoCount,
  lastSeenAt: c.lastSeenAt ?? c.openedAt,
  ...(c.alert ? { alert: c.alert } : {}),
  ...(c.reopenCount ? { reopenCount: c.reopenCount } : {}),
  ...(c.maxConfidence !== undefined ? { maxConfidence: c.maxConfidence } : {}),
  ...(c.due ? { due: c.due } : {}),
  ...(c.assignedTeamId ? { assignedTeamId: c.assignedTeamId } : {}),
  ...(c.assignee ? { assignee: c.assignee } : {}),
  ...(c.outcome ? { outcome: c.outcome } : {}),
  ...(c.acknowledgedAt ? { acknowledgedAt: c.acknowledgedAt } : {}),
  ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}),
  ...(c.closedAt ? { closedAt: c.closedAt } : {}),
  ...(c.mergeCandidates?.length ? { mergeCandidates: c.mergeCandidates } : {}),
});
