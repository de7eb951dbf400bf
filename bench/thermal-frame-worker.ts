/**
 * The thermal benchmark's timing process (bench/thermal.ts starts it): analyses the TIFF frames in a folder one after
 * another exactly as the upload processor does (read, pose, hot spots, places, crops), and prints per-frame times
 * and its peak memory as JSON. Run alone in a process of its own, with V8's heap capped as a 512 MB Lambda's is, its
 * peak resident memory is what one frame at a time costs.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { locateHotSpots } from '#shared/use-cases/thermal-frames';

const folder = process.argv[2]!;
const files = (await readdir(folder)).filter((f) => f.endsWith('.tiff')).sort();
const baselineRssMB = process.memoryUsage().rss / 2 ** 20;
const ms: number[] = [];
let peakRss = 0;
for (const file of files) {
  const bytes = new Uint8Array(await readFile(path.join(folder, file)));
  const started = performance.now();
  const located = await locateHotSpots(bytes, { now: new Date() });
  if (!located.ok) throw new Error(`${file}: ${located.reason}`);
  for (const placed of located.placed) placed.crop();
  ms.push(performance.now() - started);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
console.log(JSON.stringify({ frames: files.length, ms, baselineRssMB, peakRssMB: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20 }));
