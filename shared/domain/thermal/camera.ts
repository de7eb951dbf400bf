/**
 * The camera model that puts a pixel of a drone's frame on the ground and back: a pinhole camera at the pose's
 * position and height, turned by yaw, pitch and roll, looking at flat ground at the take-off elevation.
 *
 * Conventions (the contract's): yaw clockwise from true north; pitch 0 at the horizon, −90 straight down; roll
 * positive with the image's right side down (as an aircraft's right wing); `hfovDeg` across the image width; row 0 at
 * the top, square pixels. A pose given as the equivalent triple (yaw + 180°, −180° − pitch, roll ± 180°), as some
 * gimbals report past nadir, is the same rotation and lands on the same ground.
 */

export interface CameraPose {
  lat: number;
  lon: number;
  /** Height above the take-off point, which is taken to be the ground's elevation everywhere in the frame. */
  relativeAltitudeM: number;
  gimbalPitchDeg: number;
  gimbalYawDeg: number;
  gimbalRollDeg?: number;
  hfovDeg: number;
}

/** How uncertain each part of a pose is (one standard deviation). */
export interface PoseUncertainty {
  horizontalM: number;
  altitudeM: number;
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** Of the field of view, as a fraction of it (a table's lens, a zoom step). */
  hfovFraction: number;
}

/**
 * A drone's pose as consumer flight controllers give it: GNSS about 1.5 m, barometric height about 1 m, compass and
 * gimbal yaw about 3°, gimbal pitch and roll about 1°, the lens's field of view within 2%.
 */
export const TYPICAL_POSE_UNCERTAINTY: PoseUncertainty = {
  horizontalM: 1.5, altitudeM: 1, yawDeg: 3, pitchDeg: 1, rollDeg: 1, hfovFraction: 0.02,
};

export interface Frame { width: number; height: number }

type Vec = readonly [number, number, number];

const RAD = Math.PI / 180;
const WGS84_A = 6_378_137;
const WGS84_E2 = 6.694_379_990_14e-3;

const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Metres per degree of latitude and of longitude at a latitude (the ellipsoid's radii of curvature). */
function metresPerDegree(lat: number): { north: number; east: number } {
  const s = Math.sin(lat * RAD);
  const w = 1 - WGS84_E2 * s * s;
  return { north: (WGS84_A * (1 - WGS84_E2)) / w ** 1.5 * RAD, east: (WGS84_A / Math.sqrt(w)) * Math.cos(lat * RAD) * RAD };
}

/** The camera's axes in east-north-up: where it looks, its image's right, and its image's up. */
export function cameraAxes(pose: Pick<CameraPose, 'gimbalYawDeg' | 'gimbalPitchDeg' | 'gimbalRollDeg'>) {
  const yaw = pose.gimbalYawDeg * RAD;
  const pitch = pose.gimbalPitchDeg * RAD;
  const roll = (pose.gimbalRollDeg ?? 0) * RAD;
  const forward: Vec = [Math.sin(yaw) * Math.cos(pitch), Math.cos(yaw) * Math.cos(pitch), Math.sin(pitch)];
  const right0: Vec = [Math.cos(yaw), -Math.sin(yaw), 0];
  // up0 = right0 × forward
  const up0: Vec = [
    right0[1] * forward[2] - right0[2] * forward[1],
    right0[2] * forward[0] - right0[0] * forward[2],
    right0[0] * forward[1] - right0[1] * forward[0],
  ];
  const c = Math.cos(roll);
  const s = Math.sin(roll);
  const right: Vec = [right0[0] * c - up0[0] * s, right0[1] * c - up0[1] * s, right0[2] * c - up0[2] * s];
  const up: Vec = [up0[0] * c + right0[0] * s, up0[1] * c + right0[1] * s, up0[2] * c + right0[2] * s];
  return { forward, right, up };
}

/** The focal length in pixels, from the field of view across the width. */
export const focalPx = (frame: Frame, hfovDeg: number) => frame.width / 2 / Math.tan((hfovDeg * RAD) / 2);

/** A pixel's ray on the ground: metres east and north of the camera, and how steeply the ray comes down (90° below). */
export interface GroundOffset { east: number; north: number; elevationDeg: number }

/** Where a pixel's ray meets the ground, in metres east and north of the camera; undefined at or above the horizon. */
export function pixelToGroundOffset(pose: CameraPose, frame: Frame, pixel: { x: number; y: number }): GroundOffset | undefined {
  const { forward, right, up } = cameraAxes(pose);
  const f = focalPx(frame, pose.hfovDeg);
  const xn = (pixel.x - frame.width / 2) / f;
  const yn = (pixel.y - frame.height / 2) / f;
  const ray: Vec = [forward[0] + xn * right[0] - yn * up[0], forward[1] + xn * right[1] - yn * up[1], forward[2] + xn * right[2] - yn * up[2]];
  // A ray that drops less than 1 m in 1 km meets the ground too far off to be placed.
  if (ray[2] >= -1e-3 * Math.hypot(ray[0], ray[1])) return undefined;
  const t = pose.relativeAltitudeM / -ray[2];
  const east = t * ray[0];
  const north = t * ray[1];
  return { east, north, elevationDeg: Math.atan2(pose.relativeAltitudeM, Math.hypot(east, north)) / RAD };
}

/** Where a pixel's ray meets the ground (WGS-84); undefined at or above the horizon. */
export function pixelToGround(pose: CameraPose, frame: Frame, pixel: { x: number; y: number }): { lat: number; lon: number } | undefined {
  const offset = pixelToGroundOffset(pose, frame, pixel);
  if (!offset) return undefined;
  return offsetToLatLon(pose, offset);
}

export function offsetToLatLon(origin: { lat: number; lon: number }, offset: { east: number; north: number }) {
  const m = metresPerDegree(origin.lat);
  return { lat: origin.lat + offset.north / m.north, lon: origin.lon + offset.east / m.east };
}

export function latLonToOffset(origin: { lat: number; lon: number }, point: { lat: number; lon: number }) {
  const m = metresPerDegree(origin.lat);
  return { east: (point.lon - origin.lon) * m.east, north: (point.lat - origin.lat) * m.north };
}

/** The pixel (fractional, top-left origin) where a ground point appears; undefined if it is behind the camera. */
export function groundToPixel(pose: CameraPose, frame: Frame, point: { lat: number; lon: number }): { x: number; y: number } | undefined {
  const { east, north } = latLonToOffset(pose, point);
  const g: Vec = [east, north, -pose.relativeAltitudeM];
  const { forward, right, up } = cameraAxes(pose);
  const z = dot(g, forward);
  if (z <= 0) return undefined;
  const f = focalPx(frame, pose.hfovDeg);
  return { x: frame.width / 2 + (f * dot(g, right)) / z, y: frame.height / 2 - (f * dot(g, up)) / z };
}

/** The ground's size of one pixel at a pixel, in metres (across and along the image): how big things there look. */
export function groundSampleM(pose: CameraPose, frame: Frame, pixel: { x: number; y: number }): { across: number; along: number } | undefined {
  const here = pixelToGroundOffset(pose, frame, pixel);
  const right = pixelToGroundOffset(pose, frame, { x: pixel.x + 1, y: pixel.y });
  const below = pixelToGroundOffset(pose, frame, { x: pixel.x, y: pixel.y + 1 });
  if (!here || !right || !below) return undefined;
  return {
    across: Math.hypot(right.east - here.east, right.north - here.north),
    along: Math.hypot(below.east - here.east, below.north - here.north),
  };
}

/**
 * How far off a pixel's ground point may be (metres, one standard deviation, both axes together): each part of the
 * pose's uncertainty moved by its σ and the ground point's shift added in quadrature. It grows with obliqueness by
 * itself: a degree of pitch moves a point far ahead much more than one below.
 */
export function groundAccuracyM(pose: CameraPose, frame: Frame, pixel: { x: number; y: number }, uncertainty: PoseUncertainty = TYPICAL_POSE_UNCERTAINTY): number | undefined {
  const base = pixelToGroundOffset(pose, frame, pixel);
  if (!base) return undefined;
  const shifts: Array<Partial<CameraPose>> = [
    { relativeAltitudeM: pose.relativeAltitudeM + uncertainty.altitudeM },
    { gimbalYawDeg: pose.gimbalYawDeg + uncertainty.yawDeg },
    { gimbalPitchDeg: pose.gimbalPitchDeg + uncertainty.pitchDeg },
    { gimbalRollDeg: (pose.gimbalRollDeg ?? 0) + uncertainty.rollDeg },
    { hfovDeg: pose.hfovDeg * (1 + uncertainty.hfovFraction) },
  ];
  let variance = 2 * uncertainty.horizontalM ** 2;
  for (const shift of shifts) {
    const moved = pixelToGroundOffset({ ...pose, ...shift }, frame, pixel);
    // A nudge that lifts the ray over the horizon: the point could be anywhere beyond; call it far.
    if (!moved) return undefined;
    variance += (moved.east - base.east) ** 2 + (moved.north - base.north) ** 2;
  }
  return Math.sqrt(variance);
}
