import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, deviceQuota, helpPointQuota, quotaWindow } from '#shared/domain/quota';

describe('quotas of new cases', () => {
  it('count by clock hour, refill when it turns, and keep their count a day past it', () => {
    const at = new Date('2026-12-02T03:59:30.200Z');
    expect(quotaWindow(at)).toEqual({
      hour: '2026-12-02T03', retryAfterSeconds: 30, expiresAt: Date.parse('2026-12-02T04:00:00Z') / 1000 + 86_400,
    });
    expect(quotaWindow(new Date('2026-12-02T04:00:00Z'))).toMatchObject({ hour: '2026-12-02T04', retryAfterSeconds: 3_600 });
  });

  it('are per help point and per device, with the contract\'s defaults', () => {
    expect(DEFAULT_QUOTAS).toEqual({ helpPointCasesPerHour: 20, deviceCasesPerHour: 300 });
    expect(helpPointQuota('hp-1', DEFAULT_QUOTAS)).toEqual({ subject: 'help_point#hp-1', limit: 20 });
    expect(deviceQuota('drone-03', DEFAULT_QUOTAS)).toEqual({ subject: 'device#drone-03', limit: 300 });
  });
});
