/**
 * Writes radiometric TIFFs shaped as drones write them (little-endian, one strip, one channel, the pose in an XMP
 * packet under tag 700), so the reader is tested on bytes, not on objects. Also writes the broken ones: several
 * channels, a size that lies about the data behind it.
 */

export type RadiometricEncoding = 'float32_celsius' | 'uint16_centikelvin';

export interface TiffOptions {
  width: number;
  height: number;
  /** Temperatures in °C, row 0 at the top. */
  celsius: Float32Array;
  encoding?: RadiometricEncoding;
  /** An XMP packet (tag 700), e.g. from `djiXmp`. */
  xmp?: string;
  make?: string;
  model?: string;
  /** EXIF DateTimeOriginal, `YYYY:MM:DD HH:MM:SS`. */
  dateTimeOriginal?: string;
  /** Claim this many channels (the data is still one). */
  samplesPerPixel?: number;
  /** Claim this size in the header while writing the data of `width` × `height`. */
  claimedSize?: { width: number; height: number };
}

type Entry = { tag: number; type: 1 | 2 | 3 | 4 | 5 | 7; values: number[] | Uint8Array };
const TYPE_SIZE: Record<Entry['type'], number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 };

const ascii = (text: string) => new Uint8Array([...new TextEncoder().encode(text), 0]);

/** One TIFF file: header, the pixel strip, the EXIF sub-directory, then the main directory and its values. */
export function radiometricTiff(options: TiffOptions): Uint8Array {
  const encoding = options.encoding ?? 'float32_celsius';
  const { width, height } = options;
  const pixels = width * height;
  const strip = new Uint8Array(pixels * (encoding === 'float32_celsius' ? 4 : 2));
  const view = new DataView(strip.buffer);
  for (let i = 0; i < pixels; i += 1) {
    const c = options.celsius[i]!;
    if (encoding === 'float32_celsius') view.setFloat32(i * 4, c, true);
    else view.setUint16(i * 2, Math.max(0, Math.min(65_535, Math.round((c + 273.15) * 100))), true);
  }
  const claimed = options.claimedSize ?? { width, height };
  const main: Entry[] = [
    { tag: 256, type: 4, values: [claimed.width] },
    { tag: 257, type: 4, values: [claimed.height] },
    { tag: 258, type: 3, values: Array(options.samplesPerPixel ?? 1).fill(encoding === 'float32_celsius' ? 32 : 16) },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [1] },
    ...(options.make ? [{ tag: 271, type: 2 as const, values: ascii(options.make) }] : []),
    ...(options.model ? [{ tag: 272, type: 2 as const, values: ascii(options.model) }] : []),
    { tag: 273, type: 4, values: [8] },
    { tag: 277, type: 3, values: [options.samplesPerPixel ?? 1] },
    { tag: 278, type: 4, values: [claimed.height] },
    { tag: 279, type: 4, values: [strip.length] },
    { tag: 284, type: 3, values: [1] },
    { tag: 339, type: 3, values: Array(options.samplesPerPixel ?? 1).fill(encoding === 'float32_celsius' ? 3 : 1) },
    ...(options.xmp ? [{ tag: 700, type: 1 as const, values: new TextEncoder().encode(options.xmp) }] : []),
  ];
  const exif: Entry[] = options.dateTimeOriginal ? [{ tag: 36867, type: 2, values: ascii(options.dateTimeOriginal) }] : [];

  const parts: Uint8Array[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    parts.push(bytes);
    offset += bytes.length;
    if (offset % 2) { parts.push(new Uint8Array(1)); offset += 1; }
  };
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint16(0, 0x4949, true);
  new DataView(header.buffer).setUint16(2, 42, true);
  push(header);
  push(strip);
  let exifOffset = 0;
  if (exif.length) {
    exifOffset = offset;
    push(directory(exif, offset));
    main.push({ tag: 34665, type: 4, values: [exifOffset] });
    main.sort((a, b) => a.tag - b.tag);
  }
  const mainOffset = offset;
  push(directory(main, offset));
  new DataView(header.buffer).setUint32(4, mainOffset, true);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

/** A directory written at `at`, its values that do not fit in 4 bytes right after it. */
function directory(entries: Entry[], at: number): Uint8Array {
  const fixed = 2 + entries.length * 12 + 4;
  const extra: Uint8Array[] = [];
  let extraOffset = at + fixed;
  const head = new Uint8Array(fixed);
  const view = new DataView(head.buffer);
  view.setUint16(0, entries.length, true);
  entries.forEach((entry, i) => {
    const base = 2 + i * 12;
    const count = entry.values.length;
    const bytes = valueBytes(entry);
    view.setUint16(base, entry.tag, true);
    view.setUint16(base + 2, entry.type, true);
    view.setUint32(base + 4, count, true);
    if (bytes.length <= 4) head.set(bytes, base + 8);
    else {
      view.setUint32(base + 8, extraOffset, true);
      const padded = bytes.length % 2 ? new Uint8Array([...bytes, 0]) : bytes;
      extra.push(padded);
      extraOffset += padded.length;
    }
  });
  const out = new Uint8Array(extraOffset - at);
  out.set(head, 0);
  let p = fixed;
  for (const e of extra) { out.set(e, p); p += e.length; }
  return out;
}

function valueBytes(entry: Entry): Uint8Array {
  const size = TYPE_SIZE[entry.type];
  const out = new Uint8Array(entry.values.length * size);
  const view = new DataView(out.buffer);
  Array.from(entry.values).forEach((value, i) => {
    if (size === 1) out[i] = value;
    else if (size === 2) view.setUint16(i * 2, value, true);
    else view.setUint32(i * 4, value, true);
  });
  return out;
}

export interface DjiXmpPose {
  lat: number;
  lon: number;
  relativeAltitudeM: number;
  absoluteAltitudeM?: number;
  gimbalPitchDeg: number;
  gimbalYawDeg: number;
  gimbalRollDeg?: number;
  flightYawDeg?: number;
  flightPitchDeg?: number;
  flightRollDeg?: number;
  /** Older firmware spells the longitude tag `GpsLongtitude`. */
  misspelledLongitude?: boolean;
}

const signed = (n: number, digits = 2) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** An XMP packet as DJI's thermal cameras write it: `drone-dji:` attributes on one rdf:Description. */
export function djiXmp(pose: DjiXmpPose): string {
  const attributes = [
    ['GpsLatitude', pose.lat.toFixed(8)],
    [pose.misspelledLongitude ? 'GpsLongtitude' : 'GpsLongitude', pose.lon.toFixed(8)],
    ['AbsoluteAltitude', signed(pose.absoluteAltitudeM ?? pose.relativeAltitudeM + 35)],
    ['RelativeAltitude', signed(pose.relativeAltitudeM)],
    ['GimbalRollDegree', signed(pose.gimbalRollDeg ?? 0)],
    ['GimbalYawDegree', signed(pose.gimbalYawDeg)],
    ['GimbalPitchDegree', signed(pose.gimbalPitchDeg)],
    ['FlightRollDegree', signed(pose.flightRollDeg ?? 0)],
    ['FlightYawDegree', signed(pose.flightYawDeg ?? pose.gimbalYawDeg)],
    ['FlightPitchDegree', signed(pose.flightPitchDeg ?? 0)],
  ];
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="DJI Meta Data"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"
    xmp:CreateDate="2026-01-12"
    ${attributes.map(([name, value]) => `drone-dji:${name}="${value}"`).join('\n    ')}>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
