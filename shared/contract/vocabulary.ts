// The closed vocabularies of the external contract (../shared/api-contract.md). Values may be added, never renamed.
export const ROLES = ['patrol', 'station', 'coordinator', 'device', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a registered device is (Directory): a drone, a fixed thermal camera, a camera network's gateway, a weather feed. */
export const DEVICE_KINDS = ['drone', 'fixed_camera', 'camera_gateway', 'weather_feed'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
/** What a device's client-credentials token may send: the scopes of the API's resource server. */
export const DEVICE_SCOPES = ['detections:write', 'uploads:write', 'warnings:write', 'weather:write'] as const;
export type DeviceScope = (typeof DEVICE_SCOPES)[number];

export const PLACE_TYPES = [
  'street', 'bridge', 'culvert', 'underpass', 'construction_site', 'park', 'transport_hub', 'station_square', 'other',
] as const;
export type PlaceType = (typeof PLACE_TYPES)[number];

export const AGE_GROUPS = ['child', 'adult', 'elderly', 'unknown'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];
export const SEXES = ['female', 'male', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
export const CONDITIONS = [
  'injured', 'ill', 'intoxicated', 'mental_distress', 'disabled', 'pregnant', 'unaccompanied_minor', 'inadequate_clothing',
] as const;
export type Condition = (typeof CONDITIONS)[number];

export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

// 'unverified': a machine lead below the confidence threshold, waiting for a human check or corroboration.
export const CASE_STATUSES = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene', 'resolved', 'in_station', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OUTCOMES = [
  'escorted_to_station', 'medical_handover', 'declined_help', 'reunited_with_family', 'referred_to_police', 'not_found',
  'false_alarm',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ACTION_TYPES = ['acknowledge', 'arrive', 'resolve', 'intake', 'discharge', 'note', 'verify', 'merge'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const DETECTION_SOURCES = ['drone_thermal', 'fixed_thermal', 'camera_ai', 'city_management'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

// People (一人一档, contract v1.1): a person's grade, care level, why they left the station, a follow-up's outcome,
// where the family search stands, and what an encounter was.
export const GRADES = ['red', 'yellow', 'blue', 'green'] as const;
export type Grade = (typeof GRADES)[number];
export const CARE_LEVELS = ['general', 'special', 'medical'] as const;
export type CareLevel = (typeof CARE_LEVELS)[number];
export const DISCHARGE_REASONS = ['returned_home', 'reunited_with_family', 'long_term_care', 'hospital', 'left_of_own_will', 'other'] as const;
export type DischargeReason = (typeof DISCHARGE_REASONS)[number];
export const FOLLOW_UP_OUTCOMES = ['seen_well', 'seen_needs_help', 'not_found', 'back_in_care'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
export const FAMILY_SEARCH_STATUSES = ['not_started', 'due', 'overdue', 'published', 'not_needed'] as const;
export type FamilySearchStatus = (typeof FAMILY_SEARCH_STATUSES)[number];
export const ENCOUNTER_KINDS = ['met', 'declined_help', 'intake', 'linked'] as const;
export type EncounterKind = (typeof ENCOUNTER_KINDS)[number];
