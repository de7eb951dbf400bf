import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import exifr from 'exifr';
import jpegJs from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  inspectImage, readCaptureMetadata, stripImageMetadata, UnreadableImage,
} from '#shared/domain/image-metadata';
import {
  type CaptureFixture, concat, exifTiff, indexOf, jpegSegment, jpegWithMetadata, latin1, plainJpeg, PNG_SIGNATURE, pngChunk,
  pngWithMetadata, riff, riffChunk, VP8L_1X1, VP8X_FLAGS, webpWithMetadata,
} from '../../support/image-fixtures';

const now = new Date('2024-02-01T00:00:00Z');
const bridge: CaptureFixture = {
  make: 'HUAWEI', dateTimeOriginal: '2024:01:15 21:30:05', offsetTimeOriginal: '+08:00', gps: { lat: 28.6829, lon: 115.8579 },
};
/** Everything exifr can find that tells about the photo: EXIF (IFD0, Exif, GPS), XMP and IPTC. */
const describedBy = (bytes: Uint8Array) =>
  exifr.parse(bytes, { tiff: true, xmp: true, iptc: true, icc: false, jfif: false, ihdr: false, reviveValues: false, translateValues: false });

/** Markers of a JPEG up to its first scan, read independently of the code under test. */
function markersBeforeScan(bytes: Uint8Array): number[] {
  const markers: number[] = [];
  let pos = 2;
  while (pos < bytes.length) {
    const marker = bytes[pos + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    pos += 2 + ((bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  }
  return markers;
}

interface Chunk { type: string; data: Uint8Array; crc: number }
function pngChunks(bytes: Uint8Array): Chunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const chunks: Chunk[] = [];
  for (let pos = 8; pos < bytes.length;) {
    const length = view.getUint32(pos);
    chunks.push({
      type: String.fromCharCode(...bytes.subarray(pos + 4, pos + 8)),
      data: bytes.subarray(pos + 8, pos + 8 + length),
      crc: view.getUint32(pos + 8 + length),
    });
    pos += 12 + length;
  }
  return chunks;
}

function riffChunks(bytes: Uint8Array): { type: string; data: Uint8Array }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let pos = 12; pos < bytes.length;) {
    const size = view.getUint32(pos + 4, true);
    chunks.push({ type: String.fromCharCode(...bytes.subarray(pos, pos + 4)), data: bytes.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size % 2);
  }
  return chunks;
}

describe('JPEG', () => {
  const original = jpegWithMetadata(bridge, { trailer: true });

  it('reads capture time, GPS position and size', async () => {
    const image = inspectImage(original);
    expect(image).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
    expect(await readCaptureMetadata(image.exif, { now })).toEqual({
      takenAt: '2024-01-15T21:30:05+08:00', takenAtOffsetAssumed: false, location: { lat: 28.6829, lon: 115.8579 },
    });
  });

  it('strips EXIF, XMP, IPTC, MPF, comments and what follows the image, keeping JFIF and the ICC profile', async () => {
    expect(await describedBy(original)).toMatchObject({ Make: 'HUAWEI', GPSLatitudeRef: 'N', City: 'Nanchang' });
    const stripped = stripImageMetadata(original);
    expect(await describedBy(stripped)).toBeUndefined();
    expect(markersBeforeScan(original)).toEqual([0xe0, 0xe1, 0xe1, 0xe2, 0xe2, 0xed, 0xfe, 0xdb, 0xc0, 0xc4, 0xda]);
    expect(markersBeforeScan(stripped)).toEqual([0xe0, 0xe2, 0xdb, 0xc0, 0xc4, 0xda]);
    for (const text of ['Exif', 'http://ns.adobe.com/xap', 'Photoshop', 'MPF', 'chen.jie', 'preview']) {
      expect(indexOf(stripped, text), text).toBe(-1);
    }
    expect(indexOf(stripped, 'ICC_PROFILE\0')).toBeGreaterThan(0);
    expect([...stripped.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  it('keeps tables, frame, scan and entropy-coded data byte for byte, so the pixels are the same', () => {
    const stripped = stripImageMetadata(original);
    const plain = plainJpeg();
    const tablesAt = (bytes: Uint8Array) => indexOf(bytes, Uint8Array.of(0xff, 0xdb));
    // From the first table to the end of the image, the stripped file is the encoder's output untouched.
    expect(Buffer.from(stripped.subarray(tablesAt(stripped))).equals(Buffer.from(plain.subarray(tablesAt(plain))))).toBe(true);
    expect(indexOf(plain.subarray(tablesAt(plain)), Uint8Array.of(0xff, 0x00))).toBeGreaterThan(0);
    const before = jpegJs.decode(original, { useTArray: true });
    const after = jpegJs.decode(stripped, { useTArray: true });
    expect(after.width).toBe(32);
    expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true);
  });

  it('keeps only the orientation, so a portrait photo still stands up', async () => {
    const portrait = jpegWithMetadata({ ...bridge, orientation: 6 });
    expect((await readCaptureMetadata(inspectImage(portrait).exif, { now })).orientation).toBe(6);
    const stripped = stripImageMetadata(portrait, { orientation: 6 });
    expect(await describedBy(stripped)).toEqual({ Orientation: 6 });
    expect(markersBeforeScan(stripped).slice(0, 3)).toEqual([0xe0, 0xe1, 0xe2]);
    expect(markersBeforeScan(stripImageMetadata(portrait, { orientation: 1 }))).not.toContain(0xe1);
  });

  it('copies stuffed bytes, restart markers and fill bytes in the scan as they are', () => {
    const frame = jpegSegment(0xc0, Uint8Array.of(8, 0, 8, 0, 8, 1, 1, 0x11, 0));
    const scanHeader = jpegSegment(0xda, Uint8Array.of(1, 1, 0, 0, 63, 0));
    const entropy = Uint8Array.of(0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd1, 0x78, 0xff);
    const exif = jpegSegment(0xe1, concat([latin1('Exif\0\0'), exifTiff(bridge)]));
    const eoi = Uint8Array.of(0xff, 0xd9);
    const file = concat([Uint8Array.of(0xff, 0xd8), exif, frame, scanHeader, entropy, eoi]);
    expect(inspectImage(file)).toMatchObject({ width: 8, height: 8 });
    expect([...stripImageMetadata(file)]).toEqual([...concat([Uint8Array.of(0xff, 0xd8), frame, scanHeader, entropy, eoi])]);
  });
});

describe('capture time and place', () => {
  const read = (capture: CaptureFixture) => readCaptureMetadata(exifTiff(capture), { now });

  it('assumes China Standard Time when the camera recorded no offset, and says so', async () => {
    expect(await read({ dateTimeOriginal: '2024:01:15 21:30:05' })).toEqual({ takenAt: '2024-01-15T21:30:05+08:00', takenAtOffsetAssumed: true });
    expect(await read({ dateTimeOriginal: '2024:01:15 08:30:05', offsetTimeOriginal: '-05:00' }))
      .toEqual({ takenAt: '2024-01-15T08:30:05-05:00', takenAtOffsetAssumed: false });
  });

  it('gives southern and western positions their signs', async () => {
    expect((await read({ gps: { lat: -33.8568, lon: -70.6483 } })).location).toEqual({ lat: -33.8568, lon: -70.6483 });
  });

  it('leaves out what is not plausible', async () => {
    expect(await read({ gps: { lat: 0, lon: 0 } })).toEqual({});
    expect(await read({ gps: { lat: 91, lon: 115 } })).toEqual({});
    expect(await read({ gps: { lat: 28, lon: 181 } })).toEqual({});
    expect(await read({ dateTimeOriginal: '0000:00:00 00:00:00' })).toEqual({});
    expect(await read({ dateTimeOriginal: '2024:02:30 10:00:00' })).toEqual({});
    expect(await read({ dateTimeOriginal: '1970:01:01 08:00:00' })).toEqual({});
    expect(await read({ dateTimeOriginal: '2024:03:01 10:00:00' })).toEqual({});
    expect(await read({ dateTimeOriginal: '2024:01:15 21:30:05', offsetTimeOriginal: '+25:00' })).toEqual({});
  });

  it('reads nothing, rather than failing, from damaged EXIF', async () => {
    expect(await readCaptureMetadata(Uint8Array.of(0x49, 0x49, 0x2a, 0, 0xff, 0xff, 0xff, 0x7f), { now })).toEqual({});
    expect(await readCaptureMetadata(undefined, { now })).toEqual({});
  });
});

describe('PNG', () => {
  const original = pngWithMetadata(bridge);

  it('reads the eXIf chunk', async () => {
    const image = inspectImage(original);
    expect(image).toMatchObject({ format: 'png', width: 4, height: 3 });
    expect((await readCaptureMetadata(image.exif, { now })).location).toEqual({ lat: 28.6829, lon: 115.8579 });
  });

  it('drops eXIf, text, time and private chunks, keeping image and colour chunks intact with valid CRCs', async () => {
    expect(await describedBy(original)).toMatchObject({ GPSLatitudeRef: 'N' });
    const stripped = stripImageMetadata(original);
    expect(await describedBy(stripped)).toBeUndefined();
    expect([...stripped.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    const before = pngChunks(original);
    const after = pngChunks(stripped);
    expect(after.map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'pHYs', 'IDAT', 'IEND']);
    for (const chunk of after) {
      expect(chunk.crc, chunk.type).toBe(zlibCrc32(Buffer.concat([Buffer.from(chunk.type, 'latin1'), chunk.data])));
      const source = before.find((c) => c.type === chunk.type)!;
      expect(Buffer.from(chunk.data).equals(Buffer.from(source.data)), chunk.type).toBe(true);
    }
    expect(inflateSync(after.find((c) => c.type === 'IDAT')!.data).length).toBe(3 * (1 + 4 * 3));
    for (const text of ['chen.jie', 'xmp', 'Author']) expect(indexOf(stripped, text), text).toBe(-1);
  });
});

describe('WebP', () => {
  const original = webpWithMetadata(bridge);

  it('reads the EXIF chunk', async () => {
    const image = inspectImage(original);
    expect(image).toMatchObject({ format: 'webp', width: 1, height: 1 });
    expect((await readCaptureMetadata(image.exif, { now })).takenAt).toBe('2024-01-15T21:30:05+08:00');
  });

  it('drops EXIF and XMP, clears their VP8X flags and fixes the RIFF size', () => {
    const stripped = stripImageMetadata(original);
    const chunks = riffChunks(stripped);
    expect(chunks.map((c) => c.type)).toEqual(['VP8X', 'ICCP', 'VP8L']);
    expect(chunks[0]!.data[0]).toBe(VP8X_FLAGS.icc);
    expect(new DataView(stripped.buffer).getUint32(4, true)).toBe(stripped.length - 8);
    expect([...chunks[2]!.data]).toEqual([...VP8L_1X1]);
    expect(inspectImage(stripped).exif).toBeUndefined();
    for (const text of ['EXIF', 'XMP ', 'HUAWEI']) expect(indexOf(stripped, text), text).toBe(-1);
  });

  it('reads a plain lossless WebP without an extended header', () => {
    expect(inspectImage(riff([riffChunk('VP8L', VP8L_1X1)]))).toEqual({ format: 'webp', width: 1, height: 1 });
  });
});

describe('damaged files', () => {
  const jpeg = jpegWithMetadata(bridge);
  const png = pngWithMetadata(bridge);
  const webp = webpWithMetadata(bridge);
  const rejected = (bytes: Uint8Array, reason: RegExp) => {
    expect(() => inspectImage(bytes)).toThrow(UnreadableImage);
    expect(() => inspectImage(bytes)).toThrow(reason);
    expect(() => stripImageMetadata(bytes)).toThrow(UnreadableImage);
  };

  it('refuses a JPEG cut short or without image data', () => {
    rejected(jpeg.subarray(0, jpeg.length - 40), /JPEG is cut short inside its image data/);
    rejected(jpeg.subarray(0, 30), /JPEG is cut short inside segment 0xFFE1/);
    rejected(concat([Uint8Array.of(0xff, 0xd8), jpegSegment(0xfe, 'only a comment'), Uint8Array.of(0xff, 0xd9)]), /JPEG has no image data/);
    rejected(concat([jpeg.subarray(0, 20), Uint8Array.of(0x00, 0x00), jpeg.subarray(20)]), /JPEG is damaged/);
  });

  it('refuses a PNG cut short or with a damaged chunk', () => {
    rejected(png.subarray(0, png.length - 12), /PNG is cut short/);
    const flipped = png.slice();
    const idat = indexOf(flipped, 'IDAT');
    flipped[idat + 6] = flipped[idat + 6]! ^ 0x01;
    rejected(flipped, /checksum of its IDAT chunk does not match/);
    rejected(concat([PNG_SIGNATURE, pngChunk('IHDR', new Uint8Array(13)), pngChunk('IEND', new Uint8Array())]), /PNG has no image data/);
  });

  it('refuses a WebP cut short', () => {
    rejected(webp.subarray(0, webp.length - 10), /WebP is cut short/);
    rejected(riff([riffChunk('EXIF', exifTiff(bridge))]), /WebP is damaged/);
  });

  it('refuses what is none of the three', () => {
    rejected(latin1('GIF89a not a photo'), /not a JPEG, PNG or WebP image/);
  });
});
