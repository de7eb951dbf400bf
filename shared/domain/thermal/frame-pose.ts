import { type CameraPose, type PoseUncertainty, TYPICAL_POSE_UNCERTAINTY } from './camera';

/**
 * Where a frame's pose comes from: the upload request's `pose` if it sent one (the device knows best what it
 * sent), otherwise the frame's own metadata (DJI's `drone-dji:` XMP tags, EXIF GPS and time), with the field of
 * view from the camera model's table when the frame does not carry it.
 */

/** A pose as the contract's upload request gives it. */
export interface RequestedPose extends CameraPose {
  capturedAt?: string;
}

/** What a frame's metadata said, already parsed (numbers and strings; absent when absent). */
export interface FrameMetadata {
  make?: string;
  model?: string;
  /** The `drone-dji:` (or equivalent) XMP attributes. */
  drone?: Record<string, unknown>;
  /** EXIF GPS position, when the camera wrote one. */
  gps?: { lat: number; lon: number };
  /** EXIF capture time (RFC 3339). */
  takenAt?: string;
  /** EXIF focal length (mm) and the sensor's pixel pitch from FocalPlaneXResolution (mm per pixel). */
  focalLengthMm?: number;
  pixelPitchMm?: number;
}

/** A thermal camera whose frames do not say their field of view: what its maker publishes (rounded). */
export interface ThermalCameraModel {
  name: string;
  /** Matched against EXIF Model (case-insensitive, whole string). */
  models: string[];
  hfovDeg: number;
  width: number;
  height: number;
}

/**
 * Radiometric cameras of the drones stations buy, from the makers' published specifications: focal length and a
 * 12 µm pixel over 640 columns give the horizontal field of view (DJI publishes the diagonal).
 */
export const THERMAL_CAMERA_MODELS: readonly ThermalCameraModel[] = [
  { name: 'DJI Matrice 30T', models: ['M30T'], hfovDeg: 45.5, width: 640, height: 512 },
  { name: 'DJI Mavic 3 Thermal', models: ['M3T', 'M3TD'], hfovDeg: 45.5, width: 640, height: 512 },
  { name: 'DJI Mavic 2 Enterprise Advanced', models: ['MAVIC2-ENTERPRISE-ADVANCED', 'M2EA'], hfovDeg: 46, width: 640, height: 512 },
  { name: 'DJI Zenmuse H20T', models: ['ZH20T'], hfovDeg: 32, width: 640, height: 512 },
  { name: 'DJI Zenmuse H20N', models: ['ZH20N'], hfovDeg: 32, width: 640, height: 512 },
  { name: 'DJI Zenmuse H30T', models: ['ZH30T'], hfovDeg: 32, width: 1280, height: 1024 },
  { name: 'DJI Zenmuse XT2 (13 mm)', models: ['XT2', 'ZENMUSE XT2'], hfovDeg: 45, width: 640, height: 512 },
  { name: 'Autel EVO II Dual 640T', models: ['XL720', 'EVO II DUAL 640T'], hfovDeg: 33, width: 640, height: 512 },
];

export function cameraModelOf(model: string | undefined): ThermalCameraModel | undefined {
  const wanted = model?.trim().toUpperCase();
  return wanted ? THERMAL_CAMERA_MODELS.find((m) => m.models.includes(wanted)) : undefined;
}

/** The limits a pose must be within to be a camera above the ground looking down at it. */
export const POSE_LIMITS = {
  altitudeM: { min: 1, max: 500 },
  pitchDeg: { min: -180, max: 0 },
  yawDeg: { min: -360, max: 360 },
  rollDeg: { min: -180, max: 180 },
  hfovDeg: { min: 5, max: 120 },
} as const;

export type ResolvedPose =
  | { ok: true; pose: CameraPose; capturedAt?: string; from: 'request' | 'frame'; uncertainty: PoseUncertainty; notes: string[] }
  | { ok: false; reason: string };

const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** The first of several spellings that a frame carries (DJI's older firmware writes `GpsLongtitude`). */
const tag = (drone: Record<string, unknown> | undefined, ...names: string[]) => {
  for (const name of names) {
    const value = num(drone?.[name]);
    if (value !== undefined) return value;
  }
  return undefined;
};

/** Why a pose is impossible, or undefined when it is a camera above the ground looking down. */
export function impossiblePose(pose: CameraPose): string | undefined {
  const within = (value: number | undefined, limits: { min: number; max: number }) => value === undefined || (value >= limits.min && value <= limits.max);
  if (!(Math.abs(pose.lat) <= 90 && Math.abs(pose.lon) <= 180) || (pose.lat === 0 && pose.lon === 0)) return `the position ${pose.lat}, ${pose.lon} is not a place on the map`;
  if (!within(pose.relativeAltitudeM, POSE_LIMITS.altitudeM)) return `a height of ${pose.relativeAltitudeM} m above take-off is outside ${POSE_LIMITS.altitudeM.min}–${POSE_LIMITS.altitudeM.max} m`;
  if (!within(pose.gimbalPitchDeg, POSE_LIMITS.pitchDeg)) return `a gimbal pitch of ${pose.gimbalPitchDeg}° does not look down at the ground (−180° to 0°, −90° straight down)`;
  if (!within(pose.gimbalYawDeg, POSE_LIMITS.yawDeg)) return `a gimbal yaw of ${pose.gimbalYawDeg}° is outside −360° to 360°`;
  if (!within(pose.gimbalRollDeg, POSE_LIMITS.rollDeg)) return `a gimbal roll of ${pose.gimbalRollDeg}° is outside −180° to 180°`;
  if (!within(pose.hfovDeg, POSE_LIMITS.hfovDeg)) return `a field of view of ${pose.hfovDeg}° is outside ${POSE_LIMITS.hfovDeg.min}–${POSE_LIMITS.hfovDeg.max}°`;
  return undefined;
}

/**
 * The same rotation with the roll within ±90° and the pitch within −90°…0° where it can be: a gimbal upside down
 * past nadir reports yaw + 180°, pitch −180° − p and roll ±180°; read naively (roll ignored) that turns every
 * position in the frame around the drone, the reversed headings field users report.
 */
export function canonicalAngles(pose: CameraPose): CameraPose {
  const roll = pose.gimbalRollDeg ?? 0;
  if (Math.abs(roll) <= 90) return { ...pose, gimbalYawDeg: normalYaw(pose.gimbalYawDeg) };
  return {
    ...pose,
    gimbalYawDeg: normalYaw(pose.gimbalYawDeg + 180),
    gimbalPitchDeg: -180 - pose.gimbalPitchDeg,
    gimbalRollDeg: roll > 0 ? roll - 180 : roll + 180,
  };
}

const normalYaw = (yaw: number) => (yaw >= -180 && yaw < 180 ? yaw : ((((yaw + 180) % 360) + 360) % 360) - 180);

/** The pose a frame is analysed with, or why it cannot be placed. */
export function resolvePose(input: { requested?: RequestedPose; frame: FrameMetadata; width: number }): ResolvedPose {
  if (input.requested) {
    const problem = impossiblePose(input.requested);
    if (problem) return { ok: false, reason: `the pose sent with the upload is impossible: ${problem}` };
    const { capturedAt, ...pose } = input.requested;
    return { ok: true, pose: canonicalAngles(pose), ...(capturedAt ? { capturedAt } : {}), from: 'request', uncertainty: TYPICAL_POSE_UNCERTAINTY, notes: [] };
  }
  const { drone, gps } = input.frame;
  const notes: string[] = [];
  const lat = tag(drone, 'GpsLatitude', 'Latitude') ?? gps?.lat;
  const lon = tag(drone, 'GpsLongitude', 'GpsLongtitude', 'Longitude') ?? gps?.lon;
  const relativeAltitudeM = tag(drone, 'RelativeAltitude');
  if (lat === undefined || lon === undefined || relativeAltitudeM === undefined) {
    const missing = [lat === undefined || lon === undefined ? 'position' : undefined, relativeAltitudeM === undefined ? 'height above take-off (RelativeAltitude)' : undefined].filter(Boolean);
    return { ok: false, reason: `the frame has no pose (its metadata lacks the ${missing.join(' and the ')}) and none was sent with the upload` };
  }
  let pitch = tag(drone, 'GimbalPitchDegree');
  let yaw = tag(drone, 'GimbalYawDegree');
  let roll = tag(drone, 'GimbalRollDegree') ?? 0;
  const flightYaw = tag(drone, 'FlightYawDegree');
  let uncertainty = TYPICAL_POSE_UNCERTAINTY;
  if ((pitch ?? 0) === 0 && (yaw ?? 0) === 0 && roll === 0) {
    // Some airframes write all gimbal angles as 0 (not recorded): the camera is fixed looking down, turned with the
    // aircraft. The pitch is then an assumption, held less certain.
    if (flightYaw === undefined) return { ok: false, reason: 'the frame records no gimbal angles (all 0) and no flight heading, and no pose was sent with the upload' };
    pitch = -90;
    yaw = flightYaw;
    roll = 0;
    uncertainty = { ...uncertainty, pitchDeg: 5, rollDeg: 3 };
    notes.push('gimbal angles not recorded: heading from the flight yaw, camera taken to look straight down');
  }
  if (pitch === undefined || yaw === undefined) return { ok: false, reason: 'the frame has no gimbal pitch and yaw (GimbalPitchDegree, GimbalYawDegree) and no pose was sent with the upload' };
  // RTK fixed (DJI RtkFlag 50): centimetres instead of metres.
  if ((tag(drone, 'RtkFlag') ?? 0) >= 50) uncertainty = { ...uncertainty, horizontalM: 0.1, altitudeM: 0.3 };
  const hfov = fieldOfView(input.frame, input.width);
  if (!hfov) {
    return { ok: false, reason: `the frame does not say its field of view and its camera (${input.frame.model ?? 'model not recorded'}) is not in the table of thermal cameras; send pose.hfovDeg with the upload` };
  }
  if (hfov.note) notes.push(hfov.note);
  const pose: CameraPose = { lat, lon, relativeAltitudeM, gimbalPitchDeg: pitch, gimbalYawDeg: yaw, gimbalRollDeg: roll, hfovDeg: hfov.deg };
  const problem = impossiblePose(pose);
  if (problem) return { ok: false, reason: `the frame's pose is impossible: ${problem}` };
  if (Math.abs(roll) > 90) notes.push('gimbal reported upside down (roll near 180°): read as the same rotation, heading turned by 180°');
  return { ok: true, pose: canonicalAngles(pose), ...(input.frame.takenAt ? { capturedAt: input.frame.takenAt } : {}), from: 'frame', uncertainty, notes };
}

function fieldOfView(frame: FrameMetadata, width: number): { deg: number; note?: string } | undefined {
  if (frame.focalLengthMm && frame.pixelPitchMm) {
    const deg = (2 * Math.atan((width * frame.pixelPitchMm) / 2 / frame.focalLengthMm) * 180) / Math.PI;
    if (deg >= POSE_LIMITS.hfovDeg.min && deg <= POSE_LIMITS.hfovDeg.max) return { deg };
  }
  const model = cameraModelOf(frame.model);
  if (!model) return undefined;
  return { deg: model.hfovDeg, note: `field of view ${model.hfovDeg}° from the table (${model.name})` };
}
