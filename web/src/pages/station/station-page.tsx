import { useCallback, useEffect, useMemo, useState } from 'react';
import { type CaseSummary, problemText } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { LiveIndicator } from '../../components/badges';
import type { CaseAction } from '#shared/contract/schemas';
import { caseName } from '../../app/case-name';
import { CaseDetailDialog } from './case-detail-dialog';
import { ArrivingList, IncomingList, InHandList } from './desk-lists';
import { compareByRiskThenDeadline, type DeskColumn, deskColumn, isEscalated, mayAct } from './desk-order';
import { DischargeDialog } from './discharge-dialog';
import { TeamPositions } from './team-positions';
import { SuppliesPanel } from './supplies-panel';
import { PeoplePanel } from './people-panel';
import { DispatchDialog } from './dispatch-dialog';
import { IntakeDialog } from './intake-dialog';
import { InStationList } from './in-station-list';
import { useCaseActions, type ActionDone } from './use-case-actions';
import { useCaseDetails } from './use-case-details';
import { useDeskCases } from './use-desk-cases';
import { useTeams } from '../../app/use-teams';
import './station.css';
import { fill } from '../../app/words';

/** Countdowns are minutes: the clock the desk reads by moves every half minute. */
const TICK_MS = 30_000;

function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

type Dialog = { kind: 'dispatch' | 'discharge' | 'intake'; c: CaseSummary } | { kind: 'detail'; caseId: string };

/**
 * The station duty officer's desk: incoming and escalated cases by risk (take them or send a team), the cases in
 * hand and the people on their way in (take them in), the people in the station (discharge them), and any case's
 * detail in a side sheet. Kept current by the live feed.
 */
export default function StationPage() {
  const { m } = useI18n();
  const session = useSession();
  const now = useNow();
  const desk = useDeskCases();
  const { teams, reload: reloadTeams } = useTeams(m);
  const [dialog, setDialog] = useState<Dialog>();
  const [announcement, setAnnouncement] = useState('');
  const [followCase, setFollowCase] = useState<string>();

  const { upsert } = desk;
  const onDone = useCallback(({ case: after, entry }: ActionDone) => {
    upsert(after, `${entry.at}/${entry.type}`);
    setAnnouncement(fill(m.station.announce, { action: m.timeline[entry.type] ?? entry.type, place: caseName(after, m) }));
  }, [upsert, m]);
  const actions = useCaseActions(m, onDone);

  const columns = useMemo(() => {
    const by: Record<DeskColumn, CaseSummary[]> = { incoming: [], inHand: [], arriving: [], inStation: [] };
    for (const c of desk.cases.values()) {
      const column = deskColumn(c);
      if (column) by[column].push(c);
    }
    for (const list of Object.values(by)) list.sort(compareByRiskThenDeadline);
    return by;
  }, [desk.cases]);
  const inStationIds = useMemo(() => columns.inStation.map((c) => c.caseId), [columns.inStation]);
  const details = useCaseDetails(inStationIds, desk.versions, m);

  // After an action the case moves to another list (or leaves the desk): the focus follows it rather than falling to the page.
  useEffect(() => {
    if (!followCase) return;
    const title = document.querySelector<HTMLElement>(`[data-case-id="${CSS.escape(followCase)}"] .station-case-open`);
    (title ?? document.getElementById('main'))?.focus();
    setFollowCase(undefined);
  }, [followCase]);

  if (!session) return null;
  const role = session.role;
  const stationId = session.stationId;
  const closeDialog = () => setDialog(undefined);
  const act = async (c: CaseSummary, action: CaseAction) => {
    if (await actions.run(c.caseId, action)) {
      closeDialog();
      setFollowCase(c.caseId);
    }
  };
  const openDetail = (caseId: string) => setDialog({ kind: 'detail', caseId });
  const common = { now, pending: actions.pending, errors: actions.errors, onOpen: openDetail };
  const counts = {
    incoming: columns.incoming.length,
    escalated: columns.incoming.filter(isEscalated).length,
    inHand: columns.inHand.length,
    arriving: columns.arriving.length,
    inStation: columns.inStation.length,
  };

  return (
    <div className="station-page">
      <div className="station-top">
        <h1 className="station-heading">{m.station.heading}</h1>
        <LiveIndicator status={desk.live} />
        <div role="status" aria-label={m.station.summary.label} className="station-summary" data-testid="desk-summary">
          <dl>
            {(Object.keys(counts) as (keyof typeof counts)[]).map((key) => (
              <div key={key} className={`station-count station-count-${key}`} data-testid={`count-${key}`}>
                <dt>{m.station.summary[key]}</dt>
                <dd>{counts[key]}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
      <p className="visually-hidden" aria-live="polite">{announcement}</p>
      {desk.error !== undefined && (
        <div role="alert" className="station-load-error">
          <p className="error">{fill(m.station.loadFailed, { detail: problemText(desk.error, m) })}</p>
          <button type="button" onClick={desk.retry} disabled={desk.loading}>{m.app.retry}</button>
        </div>
      )}
      {desk.loading && desk.cases.size === 0 ? <p role="status" className="page-message">{m.app.loading}</p> : (
        <div className="station-desk">
          <div className="station-column">
            <IncomingList
              {...common} cases={columns.incoming}
              canAcknowledge={mayAct(role, 'acknowledge')} canVerify={mayAct(role, 'verify')}
              onVerify={(c) => void act(c, { type: 'verify' })}
              desk={desk.cases} canMerge={mayAct(role, 'merge')} onMerge={(c, other) => void act(c, { type: 'merge', with: other.caseId })}
              onDispatch={(c) => { reloadTeams(); setDialog({ kind: 'dispatch', c }); }}
            />
          </div>
          <div className="station-column">
            {/* The people on their way in first: they need the desk's hand (入站); the cases in hand are watched. */}
            <ArrivingList {...common} cases={columns.arriving} canIntake={!!stationId && mayAct(role, 'intake')}
              onIntake={(c) => setDialog({ kind: 'intake', c })} />
            <InHandList {...common} cases={columns.inHand} canIntake={!!stationId && mayAct(role, 'intake')}
              onIntake={(c) => setDialog({ kind: 'intake', c })} />
          </div>
          <div className="station-column">
            <InStationList {...common} cases={columns.inStation} details={details} stationId={stationId}
              canDischarge={mayAct(role, 'discharge')} onDischarge={(c) => setDialog({ kind: 'discharge', c })} />
            {stationId && <PeoplePanel now={now} />}
            {stationId && <SuppliesPanel stationId={stationId} />}
            <TeamPositions now={now} />
          </div>
        </div>
      )}
      {dialog?.kind === 'dispatch' && (
        <DispatchDialog c={dialog.c} teams={teams} busy={actions.pending.has(dialog.c.caseId)} error={actions.errors[dialog.c.caseId]}
          onDispatch={(going) => void act(dialog.c, { type: 'acknowledge', ...going })} onClose={closeDialog} />
      )}
      {dialog?.kind === 'intake' && stationId && (
        <IntakeDialog c={dialog.c} busy={actions.pending.has(dialog.c.caseId)} error={actions.errors[dialog.c.caseId]}
          onIntake={(people) => void act(dialog.c, { type: 'intake', stationId, people })} onClose={closeDialog} />
      )}
      {dialog?.kind === 'discharge' && (
        <DischargeDialog c={dialog.c} busy={actions.pending.has(dialog.c.caseId)} error={actions.errors[dialog.c.caseId]}
          onDischarge={(reason) => void act(dialog.c, { type: 'discharge', reason })} onClose={closeDialog} />
      )}
      {dialog?.kind === 'detail' && (
        <CaseDetailDialog caseId={dialog.caseId} version={desk.versions[dialog.caseId]} now={now}
          busy={actions.pending.has(dialog.caseId)} error={actions.errors[dialog.caseId]}
          onNote={(text) => actions.run(dialog.caseId, { type: 'note', text })} onClose={closeDialog} />
      )}
    </div>
  );
}
