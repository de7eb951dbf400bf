import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The duty room's figures as CloudWatch reads them: the embedded metric format on stdout, namespace StreetRescue,
 * dimension service (and source for cases opened). The tests turn the figures on (they are off locally).
 */
async function freshObservability() {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  return import('#shared/adapters/observability');
}

function written(spy: { mock: { calls: unknown[][] } }) {
  return spy.mock.calls.map((c) => String(c[0])).flatMap((text) => text.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the figures', () => {
  it('writes cases opened by source, alerts, escalations and minutes to acknowledge as EMF', async () => {
    const o = await freshObservability();
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    o.countCaseOpened('drone_thermal');
    o.countAlerts([{ kind: 'alert' }, { kind: 'alert' }, { kind: 'escalation' }, { kind: 'arrival_due' }]);
    o.recordMinutesToAcknowledge(7.5);
    o.metrics.publishStoredMetrics();
    const blobs = written(out);
    const opened = blobs.find((b) => b.CasesOpened !== undefined);
    expect(opened).toMatchObject({ CasesOpened: 1, source: 'drone_thermal', service: 'street-rescue' });
    expect(opened._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'StreetRescue', Dimensions: [expect.arrayContaining(['service', 'source'])] });
    const rest = blobs.find((b) => b.AlertsSent !== undefined);
    expect(rest).toMatchObject({ AlertsSent: 2, Escalations: 1, MinutesToAcknowledge: 7.5, service: 'street-rescue' });
  });

  it('writes nothing when the figures are off, as they are locally', async () => {
    vi.resetModules();
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const o = await import('#shared/adapters/observability');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    o.countNotificationFailed();
    o.metrics.publishStoredMetrics();
    expect(written(out)).toEqual([]);
  });
});
