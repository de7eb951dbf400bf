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

export interface CaseSummary {
  caseId: string;
  status: CaseStatus;
  risk: RiskLevel;
  location: Location;
  placeType: PlaceType;
  placeName?: string;
  openedAt: string;
  updatedAt: string;
  sightingCount: number;
  detectionCount: number;
  photoCount: number;
  alert?: OpenAlert;
}

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
  ...(c.alert ? { alert: c.alert } : {}),
});
