import exifr from 'exifr';

/**
 * Reading and removing the metadata of uploaded images, losslessly and without native code: the container
 * (JPEG segments, PNG chunks, WebP RIFF chunks) is walked and rewritten; the compressed image data is copied
 * byte for byte and never decoded or re-encoded.
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** The bytes are not a whole, well-formed image. The message is shown to the uploader as the reason. */
export class UnreadableImage extends Error {
  override name = 'UnreadableImage';
}

export interface InspectedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** The image's EXIF block as a TIFF stream (without JPEG's "Exif\0\0" header), when it carries one. */
  exif?: Uint8Array;
}

/** Capture details read from EXIF; each is left out when absent or implausible. */
export interface CaptureMetadata {
  /** RFC 3339 with the camera's UTC offset. */
  takenAt?: string;
  /** EXIF recorded no offset, so China Standard Time was assumed. */
  takenAtOffsetAssumed?: boolean;
  /** WGS-84, as phones record it. */
  location?: { lat: number; lon: number };
  /** EXIF orientation (1–8): how the pixels must be turned to stand upright. */
  orientation?: number;
}

/** Where the patrols work: a camera time without an offset is read as local time here. */
export const ASSUMED_UTC_OFFSET = '+08:00';

/** Checks the structure of a JPEG, PNG or WebP file and reports its size and EXIF block. */
export function inspectImage(bytes: Uint8Array): InspectedImage {
  const format = formatOf(bytes);
  if (format === 'jpeg') {
    const jpeg = parseJpeg(bytes);
    const app1 = jpeg.segments.find((s) => s.marker === 0xe1 && startsWith(bytes, s.payloadStart, EXIF_HEADER));
    return { format, width: jpeg.width, height: jpeg.height, ...(app1 ? { exif: bytes.subarray(app1.payloadStart + EXIF_HEADER.length, app1.end) } : {}) };
  }
  if (format === 'png') {
    const png = parsePng(bytes);
    const chunk = png.chunks.find((c) => c.type === 'eXIf');
    return { format, width: png.width, height: png.height, ...exifFrom(bytes, chunk) };
  }
  const webp = parseWebp(bytes);
  const chunk = webp.chunks.find((c) => c.type === 'EXIF');
  return { format, width: webp.width, height: webp.height, ...exifFrom(bytes, chunk) };
}

/**
 * A copy of the image without its metadata: no EXIF (time, place, device), XMP, IPTC, comments or text chunks.
 * Kept: what decoders need to draw the image as intended (JFIF, ICC profile, Adobe colour transform, tables,
 * frames, scans; PNG's critical and colour chunks; WebP's image, alpha, animation and ICC chunks). For a JPEG with
 * an `orientation` other than 1, a minimal EXIF block carrying only that is written, so the photo still stands up.
 */
export function stripImageMetadata(bytes: Uint8Array, keep: { orientation?: number } = {}): Uint8Array {
  const format = formatOf(bytes);
  if (format === 'jpeg') return stripJpeg(bytes, keep.orientation);
  if (format === 'png') return stripPng(bytes);
  return stripWebp(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading capture details

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;
const UTC_OFFSET = /^([+-])(\d{2}):(\d{2})$/;
/** A camera whose clock was reset says 1970 or 2000; such a time is no evidence of anything. */
const EARLIEST_CAPTURE_YEAR = 2001;
/** Clock drift tolerated for a time in the future. */
const FUTURE_TOLERANCE_MS = 86_400_000;

/** Reads capture time, GPS position and orientation from an EXIF (TIFF) block. Unreadable EXIF yields nothing. */
export async function readCaptureMetadata(exif: Uint8Array | undefined, context: { now: Date }): Promise<CaptureMetadata> {
  if (!exif) return {};
  let tags: Record<string, unknown> | undefined;
  try {
    // Raw values: exifr would otherwise turn the zone-less EXIF time into a Date in the process's own zone.
    tags = await exifr.parse(exif, {
      tiff: true, exif: true, gps: true, ifd1: false, interop: false, makerNote: false, userComment: false,
      xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
      reviveValues: false, translateValues: false, mergeOutput: true,
    });
  } catch {
    // Damaged EXIF takes nothing from the photo itself, which is still worth keeping.
    return {};
  }
  if (!tags) return {};
  const taken = captureTime(tags.DateTimeOriginal, tags.OffsetTimeOriginal, context.now)
    ?? captureTime(tags.CreateDate, tags.OffsetTimeDigitized, context.now);
  const location = gpsPosition(tags);
  const orientation = typeof tags.Orientation === 'number' && tags.Orientation >= 1 && tags.Orientation <= 8 ? tags.Orientation : undefined;
  return {
    ...(taken ? { takenAt: taken.at, takenAtOffsetAssumed: taken.assumed } : {}),
    ...(location ? { location } : {}),
    ...(orientation ? { orientation } : {}),
  };
}

function captureTime(local: unknown, offset: unknown, now: Date): { at: string; assumed: boolean } | undefined {
  const match = typeof local === 'string' ? EXIF_DATE.exec(local.trim()) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 31 February over into March; a real calendar time comes back unchanged.
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d
    || wall.getUTCHours() !== h || wall.getUTCMinutes() !== mi || wall.getUTCSeconds() !== s) return undefined;
  const recorded = typeof offset === 'string' ? UTC_OFFSET.exec(offset.trim()) : null;
  const offsetText = recorded ? recorded[0] : ASSUMED_UTC_OFFSET;
  const [, sign, oh, om] = (recorded ?? UTC_OFFSET.exec(ASSUMED_UTC_OFFSET))!;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (offsetMinutes < -12 * 60 || offsetMinutes > 14 * 60 || Number(om) >= 60) return undefined;
  const instant = wall.getTime() - offsetMinutes * 60_000;
  if (y < EARLIEST_CAPTURE_YEAR || instant > now.getTime() + FUTURE_TOLERANCE_MS) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { at: `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${offsetText}`, assumed: !recorded };
}

function gpsPosition(tags: Record<string, unknown>): { lat: number; lon: number } | undefined {
  // 'V' (void): the receiver had no fix when the photo was taken.
  if (tags.GPSStatus === 'V') return undefined;
  const lat = degrees(tags.GPSLatitude, tags.GPSLatitudeRef, 'N', 'S');
  const lon = degrees(tags.GPSLongitude, tags.GPSLongitudeRef, 'E', 'W');
  if (lat === undefined || lon === undefined) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  // 0,0 is what a phone writes when it had no position at all.
  if (Math.abs(lat) < 1e-6 && Math.abs(lon) < 1e-6) return undefined;
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  return { lat: round(lat), lon: round(lon) };
}

function degrees(value: unknown, ref: unknown, positive: string, negative: string): number | undefined {
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) return undefined;
  const [d, m, s] = value as [number, number, number];
  if (m >= 60 || s >= 60) return undefined;
  const hemisphere = typeof ref === 'string' ? ref.trim().toUpperCase() : '';
  if (hemisphere !== positive && hemisphere !== negative) return undefined;
  const magnitude = d + m / 60 + s / 3600;
  return hemisphere === negative ? -magnitude : magnitude;
}

// ---------------------------------------------------------------------------------------------------------------
// Containers

const EXIF_HEADER = ascii('Exif\0\0');
const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function formatOf(bytes: Uint8Array): ImageFormat {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, 0, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'webp';
  throw new UnreadableImage('the file is not a JPEG, PNG or WebP image');
}

/** PNG's eXIf and WebP's EXIF chunk hold a bare TIFF stream; some writers put JPEG's "Exif\0\0" before it. */
function exifFrom(bytes: Uint8Array, chunk: { dataStart: number; dataEnd: number } | undefined): { exif?: Uint8Array } {
  if (!chunk) return {};
  const skip = startsWith(bytes, chunk.dataStart, EXIF_HEADER) ? EXIF_HEADER.length : 0;
  return { exif: bytes.subarray(chunk.dataStart + skip, chunk.dataEnd) };
}

// JPEG --------------------------------------------------------------------------------------------------------

interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF before the marker. */
  start: number;
  payloadStart: number;
  /** End of the segment; for SOS, end of the entropy-coded data that follows it. */
  end: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const hex = (marker: number) => `0xFF${marker.toString(16).toUpperCase().padStart(2, '0')}`;

function parseJpeg(bytes: Uint8Array): { segments: JpegSegment[]; width: number; height: number } {
  const segments: JpegSegment[] = [{ marker: SOI, start: 0, payloadStart: 2, end: 2 }];
  let frame: { width: number; height: number } | undefined;
  let scans = 0;
  let pos = 2;
  for (;;) {
    if (pos >= bytes.length) throw new UnreadableImage('the JPEG is cut short: it ends before its end-of-image marker');
    if (bytes[pos] !== 0xff) throw new UnreadableImage(`the JPEG is damaged: expected a marker at byte ${pos}`);
    const start = pos;
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[pos] === 0xff) pos += 1;
    if (pos >= bytes.length) throw new UnreadableImage('the JPEG is cut short: it ends before its end-of-image marker');
    const marker = bytes[pos]!;
    pos += 1;
    if (marker === EOI) {
      if (!frame || scans === 0) throw new UnreadableImage('the JPEG has no image data');
      segments.push({ marker, start, payloadStart: pos, end: pos });
      // Whatever follows the end of the image (phones append previews and depth maps) is not part of it.
      return { segments, ...frame };
    }
    if (marker === 0x00 || marker === SOI) throw new UnreadableImage(`the JPEG is damaged: unexpected ${hex(marker)} at byte ${start}`);
    if (isStandalone(marker)) {
      segments.push({ marker, start, payloadStart: pos, end: pos });
      continue;
    }
    if (pos + 2 > bytes.length) throw new UnreadableImage(`the JPEG is cut short inside segment ${hex(marker)}`);
    const length = readU16BE(bytes, pos);
    if (length < 2) throw new UnreadableImage(`the JPEG is damaged: segment ${hex(marker)} has length ${length}`);
    const end = pos + length;
    if (end > bytes.length) throw new UnreadableImage(`the JPEG is cut short inside segment ${hex(marker)}`);
    const segment: JpegSegment = { marker, start, payloadStart: pos + 2, end };
    if (isStartOfFrame(marker)) {
      if (length < 8) throw new UnreadableImage(`the JPEG is damaged: frame header ${hex(marker)} is too short`);
      const height = readU16BE(bytes, pos + 3);
      const width = readU16BE(bytes, pos + 5);
      if (width === 0 || height === 0) throw new UnreadableImage('the JPEG declares no width or height');
      frame ??= { width, height };
    }
    if (marker === SOS) {
      if (!frame) throw new UnreadableImage('the JPEG is damaged: image data comes before the frame header');
      segment.end = endOfEntropyCodedData(bytes, end);
      scans += 1;
    }
    segments.push(segment);
    pos = segment.end;
  }
}

/** Entropy-coded data runs until a marker other than a stuffed 0xFF00 or a restart marker (RST0–7). */
function endOfEntropyCodedData(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length - 1; i += 1) {
    if (bytes[i] !== 0xff) continue;
    const next = bytes[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      i += 1;
      continue;
    }
    if (next === 0xff) continue;
    return i;
  }
  throw new UnreadableImage('the JPEG is cut short inside its image data');
}

function keepJpegSegment(bytes: Uint8Array, segment: JpegSegment): boolean {
  const { marker, payloadStart } = segment;
  if (marker === COM) return false;
  if (marker >= 0xe0 && marker <= 0xef) {
    if (marker === 0xe0) return startsWith(bytes, payloadStart, ascii('JFIF\0'));
    // The colour profile: without it, wide-gamut photos look washed out.
    if (marker === 0xe2) return startsWith(bytes, payloadStart, ascii('ICC_PROFILE\0'));
    // Adobe's colour-transform flag tells decoders whether the data is YCbCr, RGB or CMYK.
    if (marker === 0xee) return startsWith(bytes, payloadStart, ascii('Adobe'));
    return false;
  }
  return true;
}

function stripJpeg(bytes: Uint8Array, orientation: number | undefined): Uint8Array {
  const { segments } = parseJpeg(bytes);
  const kept = segments.filter((segment) => keepJpegSegment(bytes, segment));
  const parts = kept.map((segment) => bytes.subarray(segment.start, segment.end));
  if (orientation !== undefined && orientation !== 1) {
    const afterJfif = kept[1]?.marker === 0xe0 ? 2 : 1;
    parts.splice(afterJfif, 0, orientationOnlyApp1(orientation));
  }
  return concat(parts);
}

/** An APP1 Exif segment whose only tag is Orientation (0x0112), big-endian TIFF. */
function orientationOnlyApp1(orientation: number): Uint8Array {
  const tiff = Uint8Array.of(
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT, 1, value
    0x00, 0x00, 0x00, 0x00, // no next IFD
  );
  const length = 2 + EXIF_HEADER.length + tiff.length;
  return concat([Uint8Array.of(0xff, 0xe1, length >> 8, length & 0xff), EXIF_HEADER, tiff]);
}

// PNG ---------------------------------------------------------------------------------------------------------

interface PngChunk {
  type: string;
  start: number;
  dataStart: number;
  dataEnd: number;
  /** After the CRC. */
  end: number;
}

/**
 * The ancillary chunks that affect how the image is drawn (transparency, colour, gamma, HDR, pixel size, palette
 * hints, animation). Any other ancillary chunk — eXIf, tEXt, zTXt, iTXt, tIME, and private ones — is dropped.
 */
const PNG_DRAWING_CHUNKS = new Set([
  'tRNS', 'cHRM', 'gAMA', 'iCCP', 'sBIT', 'sRGB', 'cICP', 'mDCV', 'mDCv', 'cLLI', 'cLLi', 'bKGD', 'hIST', 'pHYs',
  'sPLT', 'acTL', 'fcTL', 'fdAT',
]);
/** Upper-case first letter: a critical chunk, which a decoder must understand to draw the image at all. */
const isCritical = (type: string) => type.charCodeAt(0) >= 0x41 && type.charCodeAt(0) <= 0x5a;

function parsePng(bytes: Uint8Array): { chunks: PngChunk[]; width: number; height: number } {
  const chunks: PngChunk[] = [];
  let pos = PNG_SIGNATURE.length;
  for (;;) {
    if (pos + 12 > bytes.length) throw new UnreadableImage('the PNG is cut short: it ends before its IEND chunk');
    const length = readU32BE(bytes, pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new UnreadableImage(`the PNG is damaged: no chunk type at byte ${pos + 4}`);
    const dataStart = pos + 8;
    const dataEnd = dataStart + length;
    if (length > 0x7fffffff || dataEnd + 4 > bytes.length) throw new UnreadableImage(`the PNG is cut short inside its ${type} chunk`);
    if (crc32(bytes.subarray(pos + 4, dataEnd)) !== readU32BE(bytes, dataEnd)) {
      throw new UnreadableImage(`the PNG is damaged: the checksum of its ${type} chunk does not match`);
    }
    if (chunks.length === 0 && (type !== 'IHDR' || length !== 13)) throw new UnreadableImage('the PNG is damaged: it does not start with its IHDR header');
    chunks.push({ type, start: pos, dataStart, dataEnd, end: dataEnd + 4 });
    pos = dataEnd + 4;
    if (type === 'IEND') break;
  }
  if (!chunks.some((c) => c.type === 'IDAT')) throw new UnreadableImage('the PNG has no image data');
  const header = chunks[0]!;
  const width = readU32BE(bytes, header.dataStart);
  const height = readU32BE(bytes, header.dataStart + 4);
  if (width === 0 || height === 0) throw new UnreadableImage('the PNG declares no width or height');
  // Bytes after IEND are not part of the image.
  return { chunks, width, height };
}

function stripPng(bytes: Uint8Array): Uint8Array {
  const { chunks } = parsePng(bytes);
  const kept = chunks.filter((c) => isCritical(c.type) || PNG_DRAWING_CHUNKS.has(c.type));
  return concat([PNG_SIGNATURE, ...kept.map((c) => bytes.subarray(c.start, c.end))]);
}

// WebP --------------------------------------------------------------------------------------------------------

interface WebpChunk {
  type: string;
  start: number;
  dataStart: number;
  dataEnd: number;
  /** After the pad byte that keeps chunks at even offsets. */
  end: number;
}

/** Image data, alpha, animation and colour profile: everything but EXIF, XMP and unknown chunks. */
const WEBP_DRAWING_CHUNKS = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const VP8X_EXIF_FLAG = 0x08;
const VP8X_XMP_FLAG = 0x04;

function parseWebp(bytes: Uint8Array): { chunks: WebpChunk[]; width: number; height: number } {
  if (bytes.length < 12) throw new UnreadableImage('the WebP is cut short inside its header');
  const riffEnd = 8 + readU32LE(bytes, 4);
  if (riffEnd > bytes.length) throw new UnreadableImage(`the WebP is cut short: it announces ${riffEnd} bytes but has ${bytes.length}`);
  const chunks: WebpChunk[] = [];
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw new UnreadableImage(`the WebP is cut short inside a chunk header at byte ${pos}`);
    const type = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    const size = readU32LE(bytes, pos + 4);
    const dataStart = pos + 8;
    const dataEnd = dataStart + size;
    const end = dataEnd + (size % 2);
    if (end > riffEnd) throw new UnreadableImage(`the WebP is cut short inside its ${JSON.stringify(type)} chunk`);
    chunks.push({ type, start: pos, dataStart, dataEnd, end });
    pos = end;
  }
  const first = chunks[0];
  if (!first || !['VP8 ', 'VP8L', 'VP8X'].includes(first.type)) throw new UnreadableImage('the WebP is damaged: it does not start with image data or a VP8X header');
  if (!chunks.some((c) => c.type === 'VP8 ' || c.type === 'VP8L' || c.type === 'ANMF')) throw new UnreadableImage('the WebP has no image data');
  const { width, height } = webpDimensions(bytes, first);
  if (width === 0 || height === 0) throw new UnreadableImage('the WebP declares no width or height');
  return { chunks, width, height };
}

function webpDimensions(bytes: Uint8Array, first: WebpChunk): { width: number; height: number } {
  const d = first.dataStart;
  const size = first.dataEnd - d;
  if (first.type === 'VP8X') {
    if (size < 10) throw new UnreadableImage('the WebP is damaged: its VP8X header is too short');
    return { width: 1 + readU24LE(bytes, d + 4), height: 1 + readU24LE(bytes, d + 7) };
  }
  if (first.type === 'VP8L') {
    if (size < 5 || bytes[d] !== 0x2f) throw new UnreadableImage('the WebP is damaged: its lossless header is invalid');
    const bits = readU32LE(bytes, d + 1);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  // Lossy key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
  if (size < 10 || bytes[d + 3] !== 0x9d || bytes[d + 4] !== 0x01 || bytes[d + 5] !== 0x2a) {
    throw new UnreadableImage('the WebP is damaged: its lossy header is invalid');
  }
  return { width: readU16LE(bytes, d + 6) & 0x3fff, height: readU16LE(bytes, d + 8) & 0x3fff };
}

function stripWebp(bytes: Uint8Array): Uint8Array {
  const { chunks } = parseWebp(bytes);
  const parts = chunks.filter((c) => WEBP_DRAWING_CHUNKS.has(c.type)).map((c) => {
    const chunk = bytes.slice(c.start, c.end);
    // The VP8X flags announce EXIF and XMP chunks; they must not promise what is gone.
    if (c.type === 'VP8X') chunk[8] = chunk[8]! & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
    return chunk;
  });
  const body = concat(parts);
  const header = new Uint8Array(12);
  header.set(ascii('RIFF'), 0);
  new DataView(header.buffer).setUint32(4, 4 + body.length, true);
  header.set(ascii('WEBP'), 8);
  return concat([header, body]);
}

// Bytes -------------------------------------------------------------------------------------------------------

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** The parts, one after another, in one array. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const readU16BE = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const readU32BE = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const readU16LE = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const readU24LE = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const readU32LE = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 that PNG chunks carry (ISO 3309, as in zlib). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
