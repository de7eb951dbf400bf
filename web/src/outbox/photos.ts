/** A phone photo of 12 MP is 3–6 MB; on one bar of signal every megabyte counts, and 2560 px shows a face well. */
const MAX_EDGE_PX = 2560;
const JPEG_QUALITY = 0.85;
/** The API's upload limits (UPLOAD_LIMITS in shared/contract/schemas.ts, not imported: it would bring zod along). */
const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_BYTES = 15 * 1024 * 1024;

/**
 * The photo as it is stored in the outbox: as taken when it is small enough and of a type the API takes, otherwise
 * redrawn at most 2560 px on its long edge as a JPEG (which drops its EXIF: the report carries the position).
 */
export async function preparePhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const longEdge = Math.max(bitmap.width, bitmap.height);
    if (longEdge <= MAX_EDGE_PX && ACCEPTED_TYPES.includes(file.type) && file.size <= MAX_BYTES) return file;
    const scale = Math.min(1, MAX_EDGE_PX / longEdge);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the photo could not be encoded'))), 'image/jpeg', JPEG_QUALITY);
    });
  } finally {
    bitmap.close();
  }
}
