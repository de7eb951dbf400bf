import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
import { byPerson, reasonText, timelineLines } from '../../web/src/components/timeline-lines';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 0, 12, 14, minute, second)).toISOString();
const drone = { sub: 'drone-03', role: 'device' as const, deviceId: 'drone-03' };
const detection = (minute: number, deviceId = 'drone-03', count = 1, second = 0) =>
  ({ at: at(minute, second), type: 'detection', actor: { ...drone, deviceId, sub: deviceId }, source: 'drone_thermal', deviceId, count });

describe('a readable timeline', () => {
  it("groups a device's run of detections into one line, and breaks it at anything else or a long gap", () => {
    const entries = [
      { at: at(0), type: 'opened', risk: 'yellow' },
      ...Array.from({ length: 12 }, (_, i) => detection(1, 'drone-03', 1, i * 10)),
      detection(2, 'fixed-04', 3),
      { at: at(3), type: 'alerted', to: { kind: 'team', id: 'team-02', name: '西湖区联合巡查二队' } },
      detection(4),
      detection(20),
    ];
    const lines = timelineLines(entries);
    expect(lines.map((l) => (l.kind === 'entry' ? l.entry.type : `${l.deviceId}×${l.frames}`)))
      .toEqual(['opened', 'drone-03×12', 'fixed-04×3', 'alerted', 'drone-03×1', 'drone-03×1']);
    const run = lines[1]!;
    expect(run).toMatchObject({ kind: 'detections', source: 'drone_thermal', from: at(1), to: at(1, 110) });
  });

  it("marks what people did, not the workflow's or the machines' lines", () => {
    expect(byPerson({ at: at(1), type: 'acknowledged', actor: { sub: 'li', role: 'patrol', teamId: 'team-01' } })).toBe(true);
    expect(byPerson({ at: at(1), type: 'sighting', actor: { sub: 'hp-1', role: 'public' } })).toBe(true);
    expect(byPerson({ at: at(1), type: 'alerted' })).toBe(false);
    expect(byPerson(detection(1))).toBe(false);
  });

  it("says the server's reasons in the page's words, and keeps the officer's own", () => {
    const zh = MESSAGES['zh-CN'].reason;
    expect(reasonText('declined help; visited again 3 time(s), the limit', zh)).toBe('拒绝救助，已回访 3 次（达到上限）');
    expect(reasonText('unverified machine lead: no human check and no corroboration in time', zh)).toBe('设备线索在时限内无人核实、无其他印证，已关闭');
    expect(reasonText('discharged from the station: 亲属接回', zh)).toBe('离站：亲属接回');
    expect(reasonText('execution case-1-g0 ended FAILED (States.TaskFailed) while the case was alerted', zh)).toBe('');
    expect(reasonText('the running deadline is later than a red case allows', zh)).toBe(zh.deadlineMended);
  });
});
