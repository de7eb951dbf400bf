import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CaseSummary } from '../app/api';
import type { Outcome, PlaceType, RiskLevel } from '#shared/contract/vocabulary';
import type { PatrolAction } from './outbox-rules';

/**
 * The outbox as stored in IndexedDB: one record per report or action, written before any attempt to send it and
 * updated after every step, so that a closed tab, a flat battery or a crash resumes where it stopped.
 */

export type ItemState = 'pending' | 'failed' | 'sent';

interface ItemBase {
  /** Made once, when the member pressed the button: the Idempotency-Key of every attempt. */
  key: string;
  /** The member (token `sub`) it is sent as: the API's idempotency keys are per member. */
  owner: string;
  createdAt: number;
  state: ItemState;
  /** Failed attempts in a row, for the backoff. */
  failures: number;
  nextAttemptAt?: number;
  /** Why the API refused it (a problem's detail), while failed. */
  problem?: string;
  sentAt?: number;
  /** The request body, as the exact JSON text sent on every attempt. */
  body: string;
}

export interface OutboxPhoto {
  /** Dropped once the bytes are stored, to give the phone its space back. */
  blob?: Blob;
  contentType: string;
  sizeBytes: number;
  /** How many times its upload was asked for again under a new key because the URL had expired. */
  renewal: number;
  done: boolean;
}

export interface SightingItem extends ItemBase {
  kind: 'sighting';
  /** What the lists show, without parsing the body. */
  label: { placeType: PlaceType; placeName?: string; people: number };
  photos: OutboxPhoto[];
  /** The API's answer, once the sighting is in (photos may still be on their way). */
  result?: { sightingId: string; caseId: string; caseCreated: boolean; risk: RiskLevel };
  /** 我来处置: the reporting member's team takes the case as soon as the report is in. */
  take?: boolean;
  /** What became of taking it: taken, or another team already had it (the API's reason). */
  taken?: { ok: boolean; detail?: string };
}

export interface ActionItem extends ItemBase {
  kind: 'action';
  caseId: string;
  /** The member's team when it was queued: what "already done" is checked against on a replay. */
  teamId?: string;
  action: { type: PatrolAction['type']; outcome?: Outcome };
  /** The case after the action; `alreadyDone` when a resend found it already recorded. */
  result?: { case: CaseSummary; alreadyDone: boolean };
}

export type OutboxItem = SightingItem | ActionItem;

interface OutboxSchema extends DBSchema {
  items: { key: string; value: OutboxItem };
}

let database: Promise<IDBPDatabase<OutboxSchema>> | undefined;
const db = () => (database ??= openDB<OutboxSchema>('srp-outbox', 1, {
  upgrade(created) {
    created.createObjectStore('items', { keyPath: 'key' });
  },
}));

export async function putItem(item: OutboxItem): Promise<void> {
  await (await db()).put('items', item);
}

export async function getItem(key: string): Promise<OutboxItem | undefined> {
  return (await db()).get('items', key);
}

export async function deleteItem(key: string): Promise<void> {
  await (await db()).delete('items', key);
}

/** A member's items (everyone's, without `owner`), oldest first: the order they are sent in. */
export async function listItems(owner?: string): Promise<OutboxItem[]> {
  const all = await (await db()).getAll('items');
  return all.filter((item) => owner === undefined || item.owner === owner).sort((a, b) => a.createdAt - b.createdAt);
}
