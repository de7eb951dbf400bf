import { deflateSync } from 'node:zlib';
import jpegJs from 'jpeg-js';
import { concat } from '#shared/domain/image-metadata';
import { crc32 } from '#shared/domain/image-metadata';

/** Small real images with the metadata phones write, built byte by byte so every test knows what is inside. */

type TiffValue =
  | { tag: number; type: 'ascii'; value: string }
  | { tag: number; type: 'short'; value: number }
  | { tag: number; type: 'long'; value: number }
  | { tag: number; type: 'rational'; value: [number, number][] };

export const TAG = {
  Make: 0x010f, Model: 0x0110, Orientation: 0x0112, ExifIfd: 0x8769, GpsIfd: 0x8825,
  DateTimeOriginal: 0x9003, OffsetTimeOriginal: 0x9011,
  GPSLatitudeRef: 0x0001, GPSLatitude: 0x0002, GPSLongitudeRef: 0x0003, GPSLongitude: 0x0004,
} as const;

export interface CaptureFixture {
  make?: string;
  orientation?: number;
  dateTimeOriginal?: string;
  offsetTimeOriginal?: string;
  /** Degrees; the hemisphere goes into the Ref tags. */
  gps?: { lat: number; lon: number };
}

/** A little-endian TIFF stream (what EXIF is) with IFD0, the Exif IFD and the GPS IFD as asked. */
export function exifTiff(capture: CaptureFixture): Uint8Array {
  const ifd0: TiffValue[] = [];
  const exif: TiffValue[] = [];
  const gps: TiffValue[] = [];
  if (capture.make) ifd0.push({ tag: TAG.Make, type: 'ascii', value: capture.make });
  if (capture.orientation) ifd0.push({ tag: TAG.Orientation, type: 'short', value: capture.orientation });
  if (capture.dateTimeOriginal) exif.push({ tag: TAG.DateTimeOriginal, type: 'ascii', value: capture.dateTimeOriginal });
  if (capture.offsetTimeOriginal) exif.push({ tag: TAG.OffsetTimeOriginal, type: 'ascii', value: capture.offsetTimeOriginal });
  if (capture.gps) {
    gps.push({ tag: TAG.GPSLatitudeRef, type: 'ascii', value: capture.gps.lat < 0 ? 'S' : 'N' });
    gps.push({ tag: TAG.GPSLatitude, type: 'rational', value: dms(Math.abs(capture.gps.lat)) });
    gps.push({ tag: TAG.GPSLongitudeRef, type: 'ascii', value: capture.gps.lon < 0 ? 'W' : 'E' });
    gps.push({ tag: TAG.GPSLongitude, type: 'rational', value: dms(Math.abs(capture.gps.lon)) });
  }
  // IFD0 points at the sub-IFDs; their offsets follow from the sizes, so lay out sizes first.
  const withPointers = (exifAt: number, gpsAt: number): TiffValue[] => [
    ...ifd0,
    ...(exif.length ? [{ tag: TAG.ExifIfd, type: 'long' as const, value: exifAt }] : []),
    ...(gps.length ? [{ tag: TAG.GpsIfd, type: 'long' as const, value: gpsAt }] : []),
  ];
  const ifd0At = 8;
  const exifAt = ifd0At + ifdSize(withPointers(0, 0));
  const gpsAt = exifAt + (exif.length ? ifdSize(exif) : 0);
  return concat([
    Uint8Array.of(0x49, 0x49, 0x2a, 0x00, ifd0At, 0, 0, 0),
    writeIfd(withPointers(exifAt, gpsAt), ifd0At),
    ...(exif.length ? [writeIfd(exif, exifAt)] : []),
    ...(gps.length ? [writeIfd(gps, gpsAt)] : []),
  ]);
}

function dms(degrees: number): [number, number][] {
  const d = Math.floor(degrees);
  const m = Math.floor((degrees - d) * 60);
  const s = Math.round(((degrees - d) * 60 - m) * 60 * 10_000);
  return [[d, 1], [m, 1], [s, 10_000]];
}

const valueBytes = (v: TiffValue): Uint8Array => {
  if (v.type === 'ascii') return Uint8Array.from(`${v.value}\0`, (c) => c.charCodeAt(0));
  const view = new DataView(new ArrayBuffer(v.type === 'short' ? 2 : v.type === 'long' ? 4 : 8 * v.value.length));
  if (v.type === 'short') view.setUint16(0, v.value, true);
  else if (v.type === 'long') view.setUint32(0, v.value, true);
  else v.value.forEach(([n, d], i) => { view.setUint32(8 * i, n, true); view.setUint32(8 * i + 4, d, true); });
  return new Uint8Array(view.buffer);
};
const outOfLine = (v: TiffValue) => { const n = valueBytes(v).length; return n > 4 ? n + (n % 2) : 0; };
const ifdSize = (values: TiffValue[]) => 2 + 12 * values.length + 4 + values.reduce((n, v) => n + outOfLine(v), 0);

function writeIfd(values: TiffValue[], at: number): Uint8Array {
  const sorted = [...values].sort((a, b) => a.tag - b.tag);
  const out = new Uint8Array(ifdSize(sorted));
  const view = new DataView(out.buffer);
  view.setUint16(0, sorted.length, true);
  let data = 2 + 12 * sorted.length + 4;
  sorted.forEach((v, i) => {
    const bytes = valueBytes(v);
    const entry = 2 + 12 * i;
    view.setUint16(entry, v.tag, true);
    view.setUint16(entry + 2, { ascii: 2, short: 3, long: 4, rational: 5 }[v.type], true);
    view.setUint32(entry + 4, v.type === 'ascii' ? bytes.length : v.type === 'rational' ? v.value.length : 1, true);
    if (bytes.length <= 4) out.set(bytes, entry + 8);
    else {
      view.setUint32(entry + 8, at + data, true);
      out.set(bytes, data);
      data += bytes.length + (bytes.length % 2);
    }
  });
  return out;
}

// JPEG --------------------------------------------------------------------------------------------------------

/** Pseudo-random RGBA pixels: noise makes the encoder emit 0xFF bytes (stuffed as FF 00) in the scan. */
export function noisePixels(width: number, height: number, seed = 7): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  let x = seed;
  for (let i = 0; i < data.length; i += 1) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    data[i] = i % 4 === 3 ? 255 : x >> 16 & 0xff;
  }
  return data;
}

/** A baseline JPEG (SOI, APP0 JFIF, DQT, SOF0, DHT, SOS, data, EOI) from a real encoder. */
export function plainJpeg(width = 32, height = 24): Uint8Array {
  return new Uint8Array(jpegJs.encode({ width, height, data: noisePixels(width, height) }, 90).data);
}

export function jpegSegment(marker: number, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? latin1(payload) : payload;
  return concat([Uint8Array.of(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff), body]);
}

export const XMP_WITH_GPS = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
  + '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="28,40.9740N" exif:GPSLongitude="115,51.4740E"/>'
  + '</rdf:RDF></x:xmpmeta>';

/** A phone-like JPEG: EXIF, XMP, an ICC profile, MPF, IPTC, a comment, and a preview appended after EOI. */
export function jpegWithMetadata(capture: CaptureFixture, options: { trailer?: boolean } = {}): Uint8Array {
  const base = plainJpeg();
  const app0End = 4 + ((base[4]! << 8) | base[5]!); // SOI, then APP0 JFIF
  const metadata = concat([
    jpegSegment(0xe1, concat([latin1('Exif\0\0'), exifTiff(capture)])),
    jpegSegment(0xe1, `http://ns.adobe.com/xap/1.0/\0${XMP_WITH_GPS}`),
    jpegSegment(0xe2, concat([latin1('ICC_PROFILE\0'), Uint8Array.of(1, 1), latin1('fake-profile-bytes')])),
    jpegSegment(0xe2, 'MPF\0MM\0*\0\0\0\x08'),
    jpegSegment(0xed, 'Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0d\x1c\x02\x5a\0\x08Nanchang\0'),
    jpegSegment(0xfe, 'taken by chen.jie near the bridge'),
  ]);
  return concat([
    base.subarray(0, app0End), metadata, base.subarray(app0End),
    ...(options.trailer ? [latin1('\xff\xd8\xff\xe1 a preview with its own EXIF')] : []),
  ]);
}

// PNG ---------------------------------------------------------------------------------------------------------

export function pngChunk(type: string, data: Uint8Array | string): Uint8Array {
  const body = typeof data === 'string' ? latin1(data) : data;
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(latin1(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A 4×3 RGB PNG with colour chunks to keep and metadata chunks (eXIf, text, time, a private one) to drop. */
export function pngWithMetadata(capture: CaptureFixture): Uint8Array {
  const width = 4;
  const height = 3;
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = new Uint8Array(height * (1 + width * 3)).map((_, i) => (i % (1 + width * 3) === 0 ? 0 : (i * 37) & 0xff));
  return concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('gAMA', Uint8Array.of(0, 0, 0xb1, 0x8f)),
    pngChunk('eXIf', exifTiff(capture)),
    pngChunk('tEXt', 'Comment\0taken by chen.jie near the bridge'),
    pngChunk('iTXt', `XML:com.adobe.xmp\0\0\0\0\0${XMP_WITH_GPS}`),
    pngChunk('pHYs', Uint8Array.of(0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1)),
    pngChunk('IDAT', new Uint8Array(deflateSync(rows))),
    pngChunk('tIME', Uint8Array.of(0x07, 0xe8, 1, 15, 13, 30, 5)),
    pngChunk('zTXt', concat([latin1('Author\0\0'), new Uint8Array(deflateSync(Buffer.from('chen.jie')))])),
    pngChunk('prVt', 'private notes'),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

// WebP --------------------------------------------------------------------------------------------------------

/** A 1×1 lossless (VP8L) bitstream. */
export const VP8L_1X1 = Uint8Array.of(0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07);

export function riffChunk(type: string, data: Uint8Array | string): Uint8Array {
  const body = typeof data === 'string' ? latin1(data) : data;
  const out = new Uint8Array(8 + body.length + (body.length % 2));
  out.set(latin1(type), 0);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

export function riff(chunks: Uint8Array[]): Uint8Array {
  const body = concat(chunks);
  const header = new Uint8Array(12);
  header.set(latin1('RIFF'), 0);
  new DataView(header.buffer).setUint32(4, 4 + body.length, true);
  header.set(latin1('WEBP'), 8);
  return concat([header, body]);
}

export const VP8X_FLAGS = { icc: 0x20, alpha: 0x10, exif: 0x08, xmp: 0x04, animation: 0x02 } as const;

/** An extended WebP: VP8X (ICC, EXIF and XMP flagged), ICCP, the image, EXIF, XMP. */
export function webpWithMetadata(capture: CaptureFixture): Uint8Array {
  const vp8x = new Uint8Array(10);
  vp8x[0] = VP8X_FLAGS.icc | VP8X_FLAGS.exif | VP8X_FLAGS.xmp; // canvas 1×1: width-1 and height-1 are zero
  return riff([
    riffChunk('VP8X', vp8x),
    riffChunk('ICCP', 'fake-profile'),
    riffChunk('VP8L', VP8L_1X1),
    riffChunk('EXIF', exifTiff(capture)),
    riffChunk('XMP ', XMP_WITH_GPS),
  ]);
}

// Bytes -------------------------------------------------------------------------------------------------------

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export { concat };

export function indexOf(haystack: Uint8Array, needle: Uint8Array | string): number {
  return Buffer.from(haystack).indexOf(Buffer.from(typeof needle === 'string' ? latin1(needle) : needle));
}
