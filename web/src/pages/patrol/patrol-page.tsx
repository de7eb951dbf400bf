import { useEffect, useState } from 'react';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import type { OutboxSnapshot } from '../../outbox/outbox';
import { useOnline, useOutbox } from '../../outbox/use-outbox';
import { OutboxQueue, OutboxStatus, RecentReports } from './outbox-panel';
import { ReportDialog } from './report-dialog';
import { ShiftPanel } from './shift-panel';
import { SignOutCheck } from './sign-out-check';
import { TeamCaseList } from './team-cases';
import { useMemberPosition } from './use-position';
import { useTeamCases } from './use-team-cases';
import './patrol.css';

/**
 * The patrol member's phone: report a sighting in a few taps (kept on the phone until it is in), follow the team's
 * cases and record acknowledgement, arrival and outcome, all working with one bar of signal or none.
 */
export default function PatrolPage() {
  const { m } = useI18n();
  const session = useSession();
  const outbox = useOutbox();
  const online = useOnline();
  const [reporting, setReporting] = useState(false);
  const teamId = session?.teamId;

  return (
    <div className="patrol">
      <h1 className="visually-hidden">{m.patrol.heading}</h1>
      <OutboxStatus outbox={outbox} online={online} />
      <button type="button" className="button-primary patrol-report-button" onClick={() => setReporting(true)}>
        {m.patrol.report.open}
      </button>
      <OutboxQueue outbox={outbox} online={online} />
      {teamId && <ShiftPanel onPeopleFound={() => setReporting(true)} />}
      {teamId ? <TeamSection teamId={teamId} outbox={outbox} online={online} /> : <p className="patrol-note">{m.patrol.cases.noTeam}</p>}
      <RecentReports outbox={outbox} />
      {reporting && <ReportDialog onClose={() => setReporting(false)} />}
      <SignOutCheck />
    </div>
  );
}

function TeamSection({ teamId, outbox, online }: { teamId: string; outbox: OutboxSnapshot; online: boolean }) {
  const team = useTeamCases(teamId);
  const position = useMemberPosition();
  const { upsert } = team;
  // An action's answer carries the case as it is now: the list shows it before the live feed brings it.
  useEffect(() => {
    for (const item of outbox.items) if (item.kind === 'action' && item.result) upsert(item.result.case);
  }, [outbox.items, upsert]);
  return <TeamCaseList team={team} items={outbox.items} position={position} online={online} />;
}
