import { describe, expect, it } from 'vitest';
import { MIN_GAP_MS, MOVED_M, STILL_GAP_MS, worthKeeping } from '../../web/src/pages/patrol/shift-rules';

const at = (seconds: number, north = 0) => ({ at: seconds * 1000, lat: 28.68 + north / 111_320, lon: 115.86 });

describe('which positions the phone keeps on shift', () => {
  it('keeps the first, then one when the team moved and half a minute passed, and one every two minutes standing still', () => {
    expect(worthKeeping(at(0), undefined)).toBe(true);
    expect(worthKeeping(at(MIN_GAP_MS / 1000 - 1, 500), at(0))).toBe(false);
    expect(worthKeeping(at(MIN_GAP_MS / 1000, MOVED_M + 1), at(0))).toBe(true);
    expect(worthKeeping(at(MIN_GAP_MS / 1000, MOVED_M - 5), at(0))).toBe(false);
    expect(worthKeeping(at(STILL_GAP_MS / 1000 - 1), at(0))).toBe(false);
    expect(worthKeeping(at(STILL_GAP_MS / 1000), at(0))).toBe(true);
    // Standing still, a fix every two minutes is well inside the ten minutes of silence that end a dwell.
    expect(STILL_GAP_MS).toBeLessThan(10 * 60_000 / 2);
  });
});
