/**
 * What a benchmark's DynamoDB writes cost, as DynamoDB bills them: a client that asks DynamoDB Local what each call
 * consumed and notes every item a transaction writes, and WCUs modelled from item sizes (DynamoDB Local reports about
 * one item's worth per transaction, so its own figure is shown beside, not used).
 */
import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits + 1). */
function attributeSize(value: any): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(String(value.N).replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.B !== undefined) return value.B.length;
  if (value.L) return 3 + value.L.reduce((sum: number, v: any) => sum + 1 + attributeSize(v), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + attributeSize(v), 0);
  if (value.SS) return value.SS.reduce((sum: number, s: string) => sum + Buffer.byteLength(s), 0);
  return 0;
}
const MARSHALL = { removeUndefinedValues: true, convertClassInstanceToMap: false };
/** Size of an item as the document client or the low-level client holds it. */
export const itemSize = (item: Record<string, any>) => {
  const marshalled = Object.values(item).every((v) => v && typeof v === 'object' && Object.keys(v).length === 1) ? item : marshall(item, MARSHALL);
  return Object.entries(marshalled).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + attributeSize(v), 0);
};
const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
/** Our table's GSIs (infra/stateful-stack.ts) project ALL attributes: an item with an index's key is written to it too. */
const GSI_KEYS = ['gsi1pk', 'gsi2pk'];
/** The change index (gsi3) projects keys only: a few bytes, 1 WCU per write. */
const CHANGE_INDEX_KEY = 'gsi3pk';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'TransactGetItemsCommand']);

export interface CapacityMeter {
  /** What DynamoDB Local said it consumed (ReturnConsumedCapacity INDEXES). */
  reported: { wcu: number; rcu: number; byCommand: Record<string, { calls: number; capacity: number }> };
  /** Each item a committed transaction wrote: Puts with their size; Updates by key, sized after the fact. */
  transactionPuts: { entity: string; bytes: number; indexes: number; changeIndex: boolean }[];
  /** Updates by key, and whether they set the change index's keys. */
  transactionUpdates: { key: Record<string, unknown>; changeIndex: boolean }[];
  /** Transactions DynamoDB cancelled, by the first reason given. */
  cancelled: Record<string, number>;
  reset(): void;
}

/**
 * A DynamoDB client whose every call asks for the capacity it consumed (ReturnConsumedCapacity INDEXES, so GSI writes
 * count) and adds it up, and which notes every item a transaction writes so that WCUs can be computed from sizes.
 */
export function meteredClient(endpoint: string): { client: DynamoDBClient; meter: CapacityMeter } {
  const client = new DynamoDBClient({ endpoint });
  const meter: CapacityMeter = {
    reported: { wcu: 0, rcu: 0, byCommand: {} }, transactionPuts: [], transactionUpdates: [], cancelled: {},
    reset() {
      this.cancelled = {};
      this.reported = { wcu: 0, rcu: 0, byCommand: {} };
      this.transactionPuts = [];
      this.transactionUpdates = [];
    },
  };
  client.middlewareStack.add((next, context) => async (args) => {
    const command = String(context.commandName);
    const input = args.input as Record<string, any>;
    if (WRITES.has(command) || READS.has(command)) input.ReturnConsumedCapacity = 'INDEXES';
    let result;
    try {
      result = await next(args);
    } catch (error) {
      // A cancelled transaction is retried by the caller; its items are counted apart (AWS bills them too).
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (command === 'TransactWriteItemsCommand' && reasons) {
        const index = reasons.findIndex((r) => r.Code && r.Code !== 'None');
        const failed = (input.TransactItems as Record<string, any>[])[index];
        const what = failed?.Put ? `${failed.Put.Item.entity?.S ?? failed.Put.Item.entity} (${failed.Put.ConditionExpression})` : failed?.Update ? 'case update' : '?';
        const code = `${reasons[index]?.Code ?? 'unknown'} on ${what}`;
        meter.cancelled[code] = (meter.cancelled[code] ?? 0) + 1;
      }
      throw error;
    }
    if (command === 'TransactWriteItemsCommand') {
      for (const item of input.TransactItems as Record<string, any>[]) {
        if (item.Put) {
          const fields = item.Put.Item as Record<string, any>;
          meter.transactionPuts.push({
            entity: String(fields.entity?.S ?? fields.entity ?? '?'), bytes: itemSize(fields), indexes: GSI_KEYS.filter((k) => fields[k] !== undefined).length,
            changeIndex: fields[CHANGE_INDEX_KEY] !== undefined,
          });
        } else if (item.Update) {
          const names = Object.values(item.Update.ExpressionAttributeNames ?? {});
          meter.transactionUpdates.push({ key: item.Update.Key, changeIndex: names.includes(CHANGE_INDEX_KEY) });
        }
      }
    }
    const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
    const consumed = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    const row = (meter.reported.byCommand[command] ??= { calls: 0, capacity: 0 });
    row.calls += 1;
    row.capacity += consumed;
    if (WRITES.has(command)) meter.reported.wcu += consumed;
    else meter.reported.rcu += consumed;
    return result;
  }, { step: 'initialize', priority: 'low', name: 'benchConsumedCapacity' });
  return { client, meter };
}

/**
 * WCUs as DynamoDB bills them: each item a transaction writes, 2 per KB; each GSI copy of it, 1 per KB (index writes
 * propagate after the commit and are billed as standard writes). An updated item counts at its size after the update.
 */
export async function modelledWcu(meter: CapacityMeter, sizeOf: (key: Record<string, unknown>) => Promise<number>) {
  const byEntity: Record<string, { items: number; wcu: number }> = {};
  const add = (entity: string, wcu: number) => {
    const row = (byEntity[entity] ??= { items: 0, wcu: 0 });
    row.items += 1;
    row.wcu += wcu;
  };
  for (const put of meter.transactionPuts) add(put.entity, 2 * kb(put.bytes) + put.indexes * kb(put.bytes) + (put.changeIndex ? 1 : 0));
  for (const update of meter.transactionUpdates) {
    const bytes = await sizeOf(update.key);
    // The change index: a delete and a put when the minute changed (counted always: an upper bound, as a join in the
    // same minute as the case's last change writes the same keys and costs the index nothing).
    add('case (update)', 2 * kb(bytes) + GSI_KEYS.length * kb(bytes) + (update.changeIndex ? 2 : 0));
  }
  return { total: Object.values(byEntity).reduce((sum, r) => sum + r.wcu, 0), byEntity };
}

