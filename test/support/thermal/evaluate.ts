/**
 * Scores hot-spot findings against a rendered frame's ground truth: which people were found (a confident hot spot
 * whose box holds where they appear), which confident hot spots are nobody, and how far each found person's placed
 * position is from where they truly are.
 */
import { distanceM } from '#shared/domain/geo';
import type { RenderedFrame } from './scenes';

export interface PlacedHotSpot {
  box: [number, number, number, number];
  centre: { x: number; y: number };
  confidence: number;
  lat: number;
  lon: number;
}

export interface FrameScore {
  people: number;
  found: number;
  confident: number;
  falsePositives: number;
  /** Metres between each found person and the hot spot that found them. */
  errorsM: number[];
}

export function scoreFrame(frame: RenderedFrame, hotSpots: PlacedHotSpot[], minConfidence = 0.5): FrameScore {
  const confident = hotSpots.filter((h) => h.confidence >= minConfidence);
  const visible = frame.people.filter((p) => p.pixel);
  const used = new Set<number>();
  const errorsM: number[] = [];
  for (const person of visible) {
    const { x, y } = person.pixel!;
    let best: number | undefined;
    let bestD = Infinity;
    confident.forEach((h, i) => {
      if (used.has(i)) return;
      const [bx, by, bw, bh] = h.box;
      const pad = Math.max(3, 0.2 * Math.max(bw, bh));
      if (x < bx - pad || x > bx + bw + pad || y < by - pad || y > by + bh + pad) return;
      const d = Math.hypot(h.centre.x - x, h.centre.y - y);
      if (d < bestD) { bestD = d; best = i; }
    });
    if (best === undefined) continue;
    used.add(best);
    errorsM.push(distanceM(confident[best]!, person));
  }
  // A confident hot spot beside a person already found (their head apart from their body) is not a second person, but
  // it is not a false alarm at another place either: it lands in the same case. It counts as neither.
  const nearFound = confident.filter((h, i) => !used.has(i) && visible.some((p) => p.pixel && Math.hypot(h.centre.x - p.pixel.x, h.centre.y - p.pixel.y) < Math.max(h.box[2], h.box[3]) * 1.5));
  return { people: visible.length, found: used.size, confident: confident.length - nearFound.length, falsePositives: confident.length - used.size - nearFound.length, errorsM };
}
