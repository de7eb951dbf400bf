import { describe, expect, it } from 'vitest';
import { judgeReading, OUTLIER_C } from '#shared/domain/weather-reading';

const from = (sender: string, airTempC: number, heldBack = false) => ({ sender, airTempC, ...(heldBack ? { heldBack } : {}) });

describe('a weather reading far from the others', () => {
  it('is held back when it is over 10 °C from the median of the last hours and nobody else reports the like', () => {
    const verdict = judgeReading(from('drone-03', 22), [from('station', -6), from('met', -5), from('station', -7)]);
    expect(verdict).toMatchObject({ heldBack: true, reason: expect.stringContaining('median -6 °C') });
  });

  it('stands when it is within 10 °C, or when there are too few readings to call it far', () => {
    expect(judgeReading(from('met', -6 + OUTLIER_C), [from('station', -6), from('met', -5), from('x', -7)])).toEqual({ heldBack: false });
    expect(judgeReading(from('met', 20), [from('station', -6)])).toEqual({ heldBack: false });
    expect(judgeReading(from('met', 20), [])).toEqual({ heldBack: false });
  });

  it('stands once another sender reported the like (a real change), but not on its own sender\'s word', () => {
    const recent = [from('station', 5), from('met', 6), from('drone-03', -9, true)];
    expect(judgeReading(from('camera-7', -10), recent)).toEqual({ heldBack: false });
    expect(judgeReading(from('drone-03', -10), recent)).toMatchObject({ heldBack: true });
  });

  it('is judged against trusted readings only: held-back ones do not move the median', () => {
    const recent = [from('station', -6), from('met', -5), from('a', 30, true), from('b', 31, true), from('c', 32, true)];
    expect(judgeReading(from('d', 8), recent)).toMatchObject({ heldBack: true });
  });
});
