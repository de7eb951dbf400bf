import type { ReactNode } from 'react';
import { distanceM } from '#shared/domain/geo';
import type { CaseSummary } from '../../app/api';
import { caseName } from '../../app/case-name';
import { distanceText } from '../../app/distance-text';
import { useI18n } from '../../app/i18n';
import { fill } from '../../app/words';
import { CaseActions, CaseCard, caseLabelId } from './case-card';

/** What every list of the desk shares: the clock, which cases wait for a request, their errors. */
export interface DeskListProps {
  cases: readonly CaseSummary[];
  now: number;
  pending: ReadonlySet<string>;
  errors: Readonly<Record<string, string>>;
  onOpen: (caseId: string) => void;
}

/** A titled list of cases, with its count, and a sentence when it is empty. */
export function DeskSection({ id, title, empty, count, children }: { id: string; title: string; empty: string; count: number; children: ReactNode }) {
  return (
    <section className="station-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="station-section-heading">
        {title} <span className="station-section-count">{count}</span>
      </h2>
      {count === 0 ? <p className="station-empty">{empty}</p> : <ul className="station-list" data-testid={`${id}-list`}>{children}</ul>}
    </section>
  );
}

/** A button that acts on a case: named by its verb alone ("接单"), described by the case, waiting while in flight. */
export function ActionButton({ c, busy, primary, onClick, children }: { c: CaseSummary; busy: boolean; primary?: boolean; onClick: () => void; children: string }) {
  return (
    <button type="button" className={primary ? 'button-primary' : undefined} disabled={busy} aria-describedby={caseLabelId(c.caseId)} onClick={onClick}>
      {children}
    </button>
  );
}

/**
 * Leads that need someone, red first then the nearest deadline: a station takes a case by sending someone (派单: a
 * team, or a person of its own, named), or verifies a machine lead. There is no bare 接单 that sends nobody.
 */
export function IncomingList({ cases, now, pending, errors, onOpen, canAcknowledge, canVerify, onDispatch, onVerify, desk, canMerge, onMerge }: DeskListProps & {
  canAcknowledge: boolean;
  canVerify: boolean;
  onDispatch: (c: CaseSummary) => void;
  onVerify: (c: CaseSummary) => void;
  /** Every case on the desk, to name a case this one may be a second report of. */
  desk: ReadonlyMap<string, CaseSummary>;
  canMerge: boolean;
  onMerge: (c: CaseSummary, other: CaseSummary) => void;
}) {
  const { m } = useI18n();
  return (
    <DeskSection id="station-incoming" title={m.station.columns.incoming} empty={m.station.empty.incoming} count={cases.length}>
      {cases.map((c) => {
        const busy = pending.has(c.caseId);
        // An unverified machine lead cannot be acknowledged (the API answers 409): it is verified first.
        const actions = c.status === 'unverified'
          ? canVerify && <ActionButton c={c} busy={busy} primary onClick={() => onVerify(c)}>{m.action.verify}</ActionButton>
          : canAcknowledge && <ActionButton c={c} busy={busy} primary onClick={() => onDispatch(c)}>{m.action.dispatch}</ActionButton>;
        return (
          <CaseCard key={c.caseId} c={c} now={now} testId="incoming-case" onOpen={onOpen}>
            {c.status === 'unverified' && <p className="station-hint">{m.station.unverifiedHint}</p>}
            {canMerge && <MergeOffer c={c} desk={desk} busy={busy} onMerge={onMerge} />}
            {actions && <CaseActions error={errors[c.caseId]}>{actions}</CaseActions>}
          </CaseCard>
        );
      })}
    </DeskSection>
  );
}

/**
 * A case opened near another active one without fitting it (a report far off, or a neighbour a street away): the
 * desk is told how far apart they are, and may merge them (合并) if they are the same people. The server decides
 * which survives (the one further along) and refuses two places with the reason.
 */
function MergeOffer({ c, desk, busy, onMerge }: { c: CaseSummary; desk: ReadonlyMap<string, CaseSummary>; busy: boolean; onMerge: (c: CaseSummary, other: CaseSummary) => void }) {
  const i18n = useI18n();
  const { m } = i18n;
  const others = (c.mergeCandidates ?? []).map((id) => desk.get(id)).filter((o): o is CaseSummary => o !== undefined);
  if (!others.length) return null;
  return (
    <div className="station-merge" data-testid="merge-offer">
      {others.map((other) => (
        <p key={other.caseId} className="station-hint">
          {fill(m.station.merge.offer, { place: caseName(other, m), tail: other.caseId.slice(-6), distance: distanceText(distanceM(c.location, other.location), i18n) })}
          {' '}
          <button type="button" disabled={busy} aria-describedby={caseLabelId(c.caseId)} onClick={() => onMerge(c, other)}>{m.station.merge.button}</button>
        </p>
      ))}
    </div>
  );
}

/** Cases a team has taken (acknowledged, on the scene): a team on the scene may bring the person straight in. */
export function InHandList({ cases, now, pending, errors, onOpen, canIntake, onIntake }: DeskListProps & {
  canIntake: boolean;
  onIntake: (c: CaseSummary) => void;
}) {
  const { m } = useI18n();
  return (
    <DeskSection id="station-in-hand" title={m.station.columns.inHand} empty={m.station.empty.inHand} count={cases.length}>
      {cases.map((c) => (
        <CaseCard key={c.caseId} c={c} now={now} testId="in-hand-case" onOpen={onOpen}>
          {canIntake && c.status === 'on_scene' && (
            <CaseActions error={errors[c.caseId]}>
              <ActionButton c={c} busy={pending.has(c.caseId)} onClick={() => onIntake(c)}>{m.action.intake}</ActionButton>
            </CaseActions>
          )}
        </CaseCard>
      ))}
    </DeskSection>
  );
}

/** People a team resolved as escorted to the station: on their way in, to be taken in (入站) when they arrive. */
export function ArrivingList({ cases, now, pending, errors, onOpen, canIntake, onIntake }: DeskListProps & {
  canIntake: boolean;
  onIntake: (c: CaseSummary) => void;
}) {
  const { m, time } = useI18n();
  return (
    <DeskSection id="station-arriving" title={m.station.columns.arriving} empty={m.station.empty.arriving} count={cases.length}>
      {cases.map((c) => (
        <CaseCard key={c.caseId} c={c} now={now} testId="arriving-case" onOpen={onOpen}>
          {c.resolvedAt && (
            <p className="station-case-meta">
              {m.outcome.escorted_to_station} · <time dateTime={c.resolvedAt}>{time(c.resolvedAt)}</time>
            </p>
          )}
          {canIntake && (
            <CaseActions error={errors[c.caseId]}>
              <ActionButton c={c} busy={pending.has(c.caseId)} primary onClick={() => onIntake(c)}>{m.action.intake}</ActionButton>
            </CaseActions>
          )}
        </CaseCard>
      ))}
    </DeskSection>
  );
}
