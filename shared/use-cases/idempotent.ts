import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { conflict } from '../domain/errors';
import { IdempotencyRace } from '../store/case-store';
import { type IdempotencyRecord, type IdempotencyStore, idempotencyRecord } from '../store/idempotency-store';

export interface IdempotentRequest {
  scope: string;
  hash: string;
}

export interface Created<B> {
  statusCode: number;
  body: B;
}

/**
 * Runs a create at most once per idempotency key. `perform` must write the record it is handed in the same
 * transaction as what it creates; then a retry finds either the first response or nothing at all.
 */
export async function idempotent<B>(
  store: IdempotencyStore,
  request: IdempotentRequest | undefined,
  now: Date,
  perform: (record: (response: Created<B>) => IdempotencyRecord | undefined) => Promise<Created<B>>,
  onReplay?: (response: Created<B>) => Promise<void>,
): Promise<Created<B> & { replayed: boolean }> {
  const replay = async (existing: IdempotencyRecord) => {
    if (existing.requestHash !== request!.hash) {
      throw conflict('this Idempotency-Key was already used with a different request body; use a new key for a new request');
    }
    const response = existing.response as Created<B>;
    await onReplay?.(response);
    return { ...response, replayed: true };
  };
  if (request) {
    const existing = await store.find(request.scope);
    if (existing) return replay(existing);
  }
  try {
    const response = await perform((res) => (request ? idempotencyRecord(request.scope, request.hash, res, now) : undefined));
    return { ...response, replayed: false };
  } catch (error) {
    if (!(error instanceof IdempotencyRace) || !request) throw error;
    const winner = await store.find(request.scope);
    if (!winner) throw error;
    return replay(winner);
  }
}

/**
 * A create run once per Idempotency-Key that writes what it creates first and its answer's record after: a retry
 * after a crash in between does it again (it must write the same things again: see `idFromKey`), and a race with
 * another request of the same key answers what that one stored.
 */
export function idempotentCreate<B>(
  deps: { idempotency: IdempotencyStore; now: () => Date }, request: IdempotentRequest | undefined, perform: () => Promise<Created<B>>,
): Promise<Created<B> & { replayed: boolean }> {
  return idempotent<B>(deps.idempotency, request, deps.now(), async (recordFor) => {
    const response = await perform();
    const record = recordFor(response);
    if (record && !(await deps.idempotency.save(record))) throw new IdempotencyRace();
    return response;
  });
}

/** An id for what a request creates: from its Idempotency-Key when it has one (a retry writes the same thing again), else new. */
export const idFromKey = (prefix: string, request: IdempotentRequest | undefined) => (request
  ? `${prefix}-${createHash('sha256').update(request.scope).digest('hex').slice(0, 26)}`
  : `${prefix}-${ulid()}`);
