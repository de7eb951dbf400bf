import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import type { LocalStack } from '#local/runtime/local-stack';
import { dynamoEndpoint } from '../support/engines';
import { ApiClient, eventually, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * The synthesized person workflow on the local engines, driven through the API. TIME_SCALE 0.00001: the 24-hour notice
 * deadline passes in 0.9 s and the coordinator is told 0.07 s later; the DNA request due by the 7th working day
 * (about 9 days) in about 8 s; the 10-day mark in 8.6 s; a red person's follow-up (1 day) in 0.9 s.
 */
const TIME_SCALE = 0.00001;

let stack: LocalStack;
let api: ApiClient;
let station: string;

beforeAll(async () => {
  const { templates } = await synthesizeForTest({ timeScale: TIME_SCALE });
  stack = await startTestStack(templates, { timeScale: TIME_SCALE });
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const file = async (personId: string) => (await api.call('GET', `/v1/people/${personId}`, { token: station })).body;
const act = async (personId: string, body: Record<string, unknown>) => {
  const response = await api.call('POST', `/v1/people/${personId}/actions`, { token: station, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};
const walkIn = async (body: Record<string, unknown>) => {
  const created = await api.call('POST', '/v1/people', { token: station, body: { identified: false, sex: 'male', ...body } });
  expect(created.status).toBe(201);
  return created.body as { personId: string; number: string };
};
/** The people's notices in the outbox that name this person's number. */
const noticesOf = async (number: string) => {
  const { Items = [] } = await createDocumentClient(dynamoEndpoint()).send(new QueryCommand({
    TableName: process.env.TABLE_NAME!, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CASE#people' },
  }));
  return Items.filter((n) => String(n.text).includes(number)) as { kind: string; text: string; to: { kind: string } }[];
};

describe('person workflow (synthesized definition, local engines)', () => {
  it('keeps an unidentified person\'s deadlines: the notice (duty officer, then coordinator), a care check, the DNA request, the 10-day mark', async () => {
    const person = await walkIn({ ageGroup: 'adult' });
    const told = await eventually(async () => {
      const f = await file(person.personId);
      return f.familySearch.longTermFlaggedAt && f.familySearch.dna.remindedAt ? f : undefined;
    }, 30_000, 'the DNA reminder and the 10-day mark');
    expect(told.familySearch).toMatchObject({ status: 'overdue', escalations: 2 });
    expect(told.stay.remindedCheckAt).toBe(told.stay.nextCheckAt);
    const notices = await noticesOf(person.number);
    const texts = notices.map((n) => n.text).join('\n');
    expect(texts).toContain('寻亲公告逾期】');
    expect(texts).toContain('寻亲公告逾期督办');
    expect(texts).toContain('DNA采样');
    expect(texts).toContain('长期滞留');
    expect(texts).toContain('查房提醒');
    // Each deadline told once, however often the workflow woke.
    expect(notices.filter((n) => n.text.includes('DNA采样'))).toHaveLength(1);
    expect(notices.find((n) => n.text.includes('督办'))!.to.kind).toBe('coordinator');
  }, 45_000);

  it('a notice published and a DNA request made in time tell nobody', async () => {
    const person = await walkIn({ ageGroup: 'adult' });
    expect((await api.call('POST', `/v1/people/${person.personId}/family-search-notice`, { token: station })).status).toBe(200);
    await act(person.personId, { type: 'dna', step: 'requested' });
    await eventually(async () => ((await file(person.personId)).familySearch.longTermFlaggedAt ? true : undefined), 30_000, 'the 10-day mark');
    const texts = (await noticesOf(person.number)).map((n) => n.text).join('\n');
    expect(texts).not.toContain('寻亲公告逾期');
    expect(texts).not.toContain('DNA采样');
  }, 45_000);

  it('a red person who left the station is followed up by grade; each outcome recorded, the next is scheduled, up to the limit', async () => {
    const person = await walkIn({ ageGroup: 'elderly', estimatedAge: 80, conditions: ['ill', 'disabled'] });
    expect((await file(person.personId)).grade.level).toBe('red');
    const left = await act(person.personId, { type: 'discharge', reason: 'left_of_own_will' });
    expect(left.followUp).toMatchObject({ reason: 'left_station', number: 1 });
    const reminded = await eventually(async () => {
      const notices = await noticesOf(person.number);
      return notices.find((n) => n.text.includes('回访到期')) ? notices : undefined;
    }, 15_000, 'the follow-up reminder');
    expect(reminded.find((n) => n.text.includes('回访到期'))!.text).toContain('第1次');
    const next = await act(person.personId, { type: 'follow_up', outcome: 'seen_needs_help', note: '仍在桥下，已送棉被' });
    expect(next.followUp).toMatchObject({ number: 2 });
    expect(next.followUps).toHaveLength(1);
    await act(person.personId, { type: 'follow_up', outcome: 'seen_well' });
    const last = await act(person.personId, { type: 'follow_up', outcome: 'seen_well' });
    expect(last.followUps).toHaveLength(3);
    expect(last.followUp).toBeUndefined();
  }, 45_000);
});
