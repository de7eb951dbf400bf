import { useState } from 'react';
import { useI18n } from '../../app/i18n';
import { RiskBadge } from '../../components/badges';
import type { OutboxSnapshot } from '../../outbox/outbox';
import { enqueueAction, removeItem, retryItem } from '../../outbox/outbox';
import { useSession } from '../../app/session';
import type { OutboxItem, SightingItem } from '../../outbox/outbox-db';
import { fill } from '../../app/words';

/** The last characters of a case id: enough to tell cases apart on a phone, and to read out over the radio. */
const shortCaseId = (caseId: string) => `…${caseId.slice(-6)}`;

/** The line at the top of the page: how many reports are still on the phone, and whether there is signal. */
export function OutboxStatus({ outbox, online }: { outbox: OutboxSnapshot; online: boolean }) {
  const { m } = useI18n();
  const words = m.patrol.outbox;
  const unsent = outbox.items.filter((item) => item.state !== 'sent');
  const failed = unsent.filter((item) => item.state === 'failed').length;
  const waiting = unsent.length - failed;
  const text = !outbox.ready ? words.reading
    : unsent.length === 0 ? words.allSent
      : [waiting ? fill(online ? words.pending : words.pendingOffline, { n: waiting }) : '', failed ? fill(words.failed, { n: failed }) : '']
        .filter(Boolean).join(' · ');
  return (
    <div className="patrol-status">
      <div aria-live="polite">
        {!online && <p className="patrol-offline" data-testid="offline-banner">{m.patrol.offline}</p>}
      </div>
      {outbox.storageError && <p role="alert" className="patrol-problem">{fill(m.patrol.storageError, { detail: outbox.storageError })}</p>}
      {outbox.othersUnsent > 0 && <p className="patrol-note" data-testid="others-unsent">{fill(words.othersUnsent, { n: outbox.othersUnsent })}</p>}
      <p className={`patrol-outbox ${unsent.length ? (failed ? 'patrol-outbox-failed' : 'patrol-outbox-waiting') : 'patrol-outbox-clear'}`}
        data-testid="outbox" data-pending={unsent.length} role="status" aria-live="polite" aria-label={words.label}>
        {outbox.sending ? `${text} · ${words.sending}` : text}
      </p>
    </div>
  );
}

/** Reports and actions not sent yet: what each waits for, or why it was refused and what the member can do. */
export function OutboxQueue({ outbox, online }: { outbox: OutboxSnapshot; online: boolean }) {
  const i18n = useI18n();
  const { m, time } = i18n;
  const words = m.patrol.queue;
  const unsent = outbox.items.filter((item) => item.state !== 'sent');
  if (!unsent.length) return null;

  const stateOf = (item: OutboxItem) => (outbox.sending === item.key ? 'sending' : item.state === 'failed' ? 'failed' : 'waiting');
  const describe = (item: OutboxItem) => (item.kind === 'sighting'
    ? fill(words.sighting, { place: item.label.placeName ?? m.place[item.label.placeType], people: item.label.people })
    : fill(words.action, { action: m.action[item.action.type], caseId: shortCaseId(item.caseId) }));
  const progress = (item: OutboxItem) => {
    const state = stateOf(item);
    if (state === 'failed') return fill(words.failed, { detail: item.problem ?? '' });
    if (item.kind === 'sighting' && item.result) {
      return fill(words.photosPending, { done: item.photos.filter((p) => p.done).length, total: item.photos.length });
    }
    if (state === 'sending') return words.sending;
    return online && item.nextAttemptAt ? fill(words.waitingUntil, { time: time(new Date(item.nextAttemptAt)) }) : words.waiting;
  };
  return (
    <section className="patrol-section" aria-labelledby="patrol-queue-heading">
      <h2 id="patrol-queue-heading">{words.heading}</h2>
      <ul className="patrol-queue" aria-live="polite">
        {unsent.map((item) => (
          <li key={item.key} className={`patrol-queue-item patrol-queue-${stateOf(item)}`} data-testid="outbox-item" data-state={stateOf(item)} data-kind={item.kind}>
            <p className="patrol-queue-what">
              <strong>{describe(item)}</strong>
              <span className="patrol-muted"> · {time(new Date(item.createdAt))}</span>
            </p>
            <p className="patrol-queue-state">{progress(item)}</p>
            {item.state === 'failed' && (
              <FailedItemActions itemKey={item.key} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Send a refused item again, or delete it, after a second tap that says it will never be sent. */
function FailedItemActions({ itemKey }: { itemKey: string }) {
  const { m } = useI18n();
  const words = m.patrol.queue;
  const [confirming, setConfirming] = useState(false);
  if (confirming) {
    return (
      <div className="patrol-row" role="group" aria-label={words.removeConfirm}>
        <p className="patrol-confirm">{words.removeConfirm}</p>
        <button type="button" className="button-danger button-large" onClick={() => void removeItem(itemKey)}>{words.remove}</button>
        <button type="button" className="button-large" autoFocus onClick={() => setConfirming(false)}>{m.app.cancel}</button>
      </div>
    );
  }
  return (
    <div className="patrol-row">
      <button type="button" className="button-primary button-large" onClick={() => void retryItem(itemKey)}>{words.retry}</button>
      <button type="button" className="button-large" onClick={() => setConfirming(true)}>{words.remove}</button>
    </div>
  );
}

/**
 * My recent reports: what the API made of each report sent in the last 24 hours, and 我来处置 for a report whose case
 * the team did not take yet (a queued acknowledgement, sent like any action).
 */
export function RecentReports({ outbox }: { outbox: OutboxSnapshot }) {
  const { m, time } = useI18n();
  const hasTeam = !!useSession()?.teamId;
  const taking = new Set(outbox.items.filter((item) => item.kind === 'action' && item.action.type === 'acknowledge').map((item) => (item as { caseId: string }).caseId));
  const words = m.patrol.recent;
  const sent = outbox.items
    .filter((item): item is SightingItem & { result: NonNullable<SightingItem['result']> } => item.kind === 'sighting' && item.state === 'sent' && !!item.result)
    .sort((a, b) => (b.sentAt ?? 0) - (a.sentAt ?? 0));
  return (
    <section className="patrol-section" aria-labelledby="patrol-recent-heading">
      <h2 id="patrol-recent-heading">{words.heading}</h2>
      {sent.length === 0 ? <p className="patrol-empty">{outbox.ready ? words.empty : m.app.loading}</p> : (
        <ul className="patrol-recent">
          {sent.map((item) => (
            <li key={item.key} data-testid="outbox-sent" data-case-id={item.result.caseId}>
              <div className="patrol-case-top">
                <RiskBadge risk={item.result.risk} />
                <strong>{item.label.placeName ?? m.place[item.label.placeType]}</strong>
              </div>
              <p className="patrol-muted">
                {[
                  fill(words.caseId, { caseId: shortCaseId(item.result.caseId) }),
                  item.result.caseCreated ? words.created : words.joined,
                  item.photos.length ? fill(words.photos, { n: item.photos.length }) : '',
                  fill(words.sentAt, { time: time(new Date(item.sentAt ?? item.createdAt)) }),
                ].filter(Boolean).join(' · ')}
              </p>
              {item.taken && (
                <p className={item.taken.ok ? 'patrol-note' : 'patrol-problem'} data-testid="report-taken" data-ok={item.taken.ok}>
                  {item.taken.ok ? words.taken : fill(words.takenByOther, { detail: item.taken.detail ?? '' })}
                </p>
              )}
              {hasTeam && !item.take && !taking.has(item.result.caseId) && (
                <button type="button" className="button-large" onClick={() => void enqueueAction(item.result.caseId, { type: 'acknowledge' })}>
                  {words.take}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
