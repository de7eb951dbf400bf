import type { Location, Person } from '../contract/schemas';
import type { CaseStatus, PlaceType, RiskLevel, Role } from '../contract/vocabulary';
import type { EscalationRung } from './alert-policy';

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
}

/** A workflow task waiting on this case, completed through its task token when the case leaves `status`. */
export interface WorkflowWait {
  token: string;
  status: CaseStatus;
  since: string;
}

export interface Case {
  caseId: string;
  status: CaseStatus;
  risk: RiskLevel;
  riskReasons: string[];
  location: Location;
  placeType: PlaceType;
  placeName?: string;
  openedAt: string;
  updatedAt: string;
  sightingCount: number;
  detectionCount: number;
  photoCount: number;
  stationId?: string;
  reportedByTeamId?: string;
  alert?: OpenAlert;
  wait?: WorkflowWait;
  /** When the people of this case were last reported (sighting or detection): correlation's clock. */
  lastSeenAt: string;
  resolvedAt?: string;
  outcome?: string;
  /** Devices whose detections are in this case: two independent ones corroborate an unverified lead. */
  sourceDevices?: string[];
  /** Highest detection confidence in the case, when machines reported it. */
  maxConfidence?: number;
  /** Times the case was reopened because its people were seen again at the place after it was resolved. */
  reopenCount?: number;
  /** Bumped when the workflow must start afresh (a reopened case); names the execution. */
  workflowGeneration: number;
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
  people: Person[];
  note?: string;
  teamId?: string;
  reportedBy: Actor;
  source: 'patrol' | 'coordinator' | 'public';
  helpPointId?: string;
}

/** What a list of cases shows of each: the case without its evidence ids and workflow bookkeeping. */
export type CaseSummary = Pick<Case,
  'caseId' | 'lastSeenAt' | 'status' | 'risk' | 'location' | 'placeType' | 'placeName' | 'openedAt' | 'updatedAt'
  | 'sightingCount' | 'detectionCount' | 'photoCount' | 'alert' | 'reopenCount' | 'maxConfidence'>;

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
});
