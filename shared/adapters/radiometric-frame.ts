import exifr from 'exifr';
import { fromArrayBuffer } from 'geotiff';
import { readCaptureMetadata } from '../domain/image-metadata';
import type { FrameMetadata } from '../domain/thermal/frame-pose';
import type { RadiometricImage } from '../domain/thermal/hot-spots';

/**
 * Reads a radiometric TIFF (one channel: 32-bit float in °C, or 16-bit unsigned in 0.01 K) with `geotiff`, and its
 * metadata (DJI's `drone-dji:` XMP, EXIF make, model, time, GPS and lens) with `exifr`. Everything a frame could lie
 * about is checked before any pixel buffer is sized from it.
 */

/** A thermal sensor is at most a few megapixels (the largest, 1280 × 1024); a header claiming more is not one. */
const MAX_PIXELS = 4_194_304;
const MIN_SIDE = 16;
/** Temperatures a scene outdoors can hold (°C): a frame whose pixels mostly fall outside is in another unit. */
const PLAUSIBLE_C = { min: -80, max: 400 };

export type FrameReading = { ok: true; image: RadiometricImage; metadata: FrameMetadata } | { ok: false; reason: string };

export async function readRadiometricFrame(bytes: Uint8Array, context: { now: Date }): Promise<FrameReading> {
  const refuse = (reason: string): FrameReading => ({ ok: false, reason });
  let image;
  try {
    const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    image = await tiff.getImage(0);
  } catch (error) {
    return refuse(`the TIFF cannot be read: ${(error as Error).message}`);
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width >= MIN_SIDE && height >= MIN_SIDE && width * height <= MAX_PIXELS)) {
    return refuse(`a frame of ${width} × ${height} pixels is not a thermal sensor's (${MIN_SIDE} to ${Math.sqrt(MAX_PIXELS)} × ${Math.sqrt(MAX_PIXELS)})`);
  }
  const channels = image.getSamplesPerPixel();
  if (channels !== 1) return refuse(`the TIFF has ${channels} channels; a radiometric frame has one (temperatures)`);
  const bits = image.getBitsPerSample(0);
  const format = image.getSampleFormat(0) ?? 1;
  const encoding = bits === 32 && format === 3 ? 'celsius' : bits === 16 && format === 1 ? 'centikelvin' : undefined;
  if (!encoding) return refuse(`the TIFF holds ${bits}-bit ${format === 3 ? 'floating-point' : format === 2 ? 'signed' : 'unsigned'} values; a radiometric frame is 32-bit float (°C) or 16-bit unsigned (0.01 K)`);
  const lie = await sizeThatLies(image, width * height * (bits / 8), bytes.length);
  if (lie) return refuse(lie);

  let raster;
  try {
    raster = await image.readRasters({ interleave: true });
  } catch (error) {
    return refuse(`the TIFF's pixels cannot be read: ${(error as Error).message}`);
  }
  if (raster.length !== width * height) return refuse(`the TIFF says ${width} × ${height} pixels but holds ${raster.length}`);
  const celsius = new Float32Array(width * height);
  let implausible = 0;
  for (let i = 0; i < celsius.length; i += 1) {
    const raw = Number(raster[i]);
    const c = encoding === 'celsius' ? raw : raw / 100 - 273.15;
    if (!(c >= PLAUSIBLE_C.min && c <= PLAUSIBLE_C.max)) {
      implausible += 1;
      celsius[i] = Number.NaN;
    } else celsius[i] = c;
  }
  if (implausible > celsius.length * 0.05) {
    return refuse(`${Math.round((implausible / celsius.length) * 100)}% of the pixels are not temperatures (${PLAUSIBLE_C.min} to ${PLAUSIBLE_C.max} °C as ${encoding === 'celsius' ? '°C' : '0.01 K'})`);
  }
  // The few dead pixels a sensor has take their row's previous value, so that nothing downstream meets a NaN.
  if (implausible) {
    for (let i = 0; i < celsius.length; i += 1) if (Number.isNaN(celsius[i]!)) celsius[i] = i > 0 ? celsius[i - 1]! : 0;
  }
  return { ok: true, image: { width, height, celsius }, metadata: await frameMetadata(bytes, context) };
}

/**
 * Why the header's size does not match the data it points at, when it does not: uncompressed strips or tiles must
 * hold exactly the pixels the header claims, inside the file.
 */
async function sizeThatLies(image: Awaited<ReturnType<Awaited<ReturnType<typeof fromArrayBuffer>>['getImage']>>, expectedBytes: number, fileBytes: number): Promise<string | undefined> {
  const directory = image.getFileDirectory();
  const compression = Number(directory.getValue('Compression') ?? 1);
  const tiled = directory.hasTag('TileWidth');
  const counts = await directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts');
  const offsets = await directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets');
  if (!counts || !offsets) return 'the TIFF does not say where its pixels are';
  const countList = Array.from(counts as ArrayLike<number>, Number);
  const offsetList = Array.from(offsets as ArrayLike<number>, Number);
  if (countList.some((count, i) => (offsetList[i] ?? Infinity) + count > fileBytes)) return 'the TIFF points at pixel data beyond its end (cut short, or a size that lies)';
  if (compression === 1 && !tiled) {
    const stored = countList.reduce((a, b) => a + b, 0);
    if (stored !== expectedBytes) return `the TIFF says ${image.getWidth()} × ${image.getHeight()} pixels (${expectedBytes} bytes) but stores ${stored} bytes of them`;
  }
  return undefined;
}

/** The metadata the pose is read from: any XMP namespace carrying a drone's attitude, EXIF for the rest. */
async function frameMetadata(bytes: Uint8Array, context: { now: Date }): Promise<FrameMetadata> {
  let parsed: Record<string, Record<string, unknown>> | undefined;
  try {
    parsed = await exifr.parse(bytes, {
      tiff: true, exif: true, gps: false, xmp: true, ifd1: false, interop: false, makerNote: false, userComment: false,
      icc: false, iptc: false, jfif: false, ihdr: false, mergeOutput: false, translateValues: false,
    });
  } catch {
    parsed = undefined;
  }
  const ifd0 = parsed?.ifd0 ?? {};
  const exif = parsed?.exif ?? {};
  const drone = Object.values(parsed ?? {}).find((group) => group && typeof group === 'object' && ('GimbalPitchDegree' in group || 'RelativeAltitude' in group));
  const capture = await readCaptureMetadata(bytes, context);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const focal = typeof exif.FocalLength === 'number' && exif.FocalLength > 0 ? exif.FocalLength : undefined;
  const resolution = typeof exif.FocalPlaneXResolution === 'number' && exif.FocalPlaneXResolution > 0 ? exif.FocalPlaneXResolution : undefined;
  // FocalPlaneResolutionUnit: 2 inch, 3 centimetre (4 millimetre, in some cameras).
  const unitMm = { 2: 25.4, 3: 10, 4: 1 }[Number(exif.FocalPlaneResolutionUnit ?? 2)] ?? 25.4;
  return {
    ...(text(ifd0.Make) ? { make: text(ifd0.Make) } : {}),
    ...(text(ifd0.Model) ? { model: text(ifd0.Model) } : {}),
    ...(drone ? { drone } : {}),
    ...(capture.location ? { gps: capture.location } : {}),
    ...(capture.takenAt ? { takenAt: capture.takenAt } : {}),
    ...(focal && resolution ? { focalLengthMm: focal, pixelPitchMm: unitMm / resolution } : {}),
  };
}
