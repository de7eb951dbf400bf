import type { Coverage } from '../../app/api';
import { useI18n } from '../../app/i18n';
import type { Polled } from '../../app/use-polled';
import { useNames } from '../../app/use-teams';
import { fill } from '../../app/words';

/** Tonight's hot spots against their targets: how many are covered, and the ones that are not, most urgent first. */
export function CoveragePanel({ coverage }: { coverage: Polled<Coverage> }) {
  const { m, time } = useI18n();
  const words = m.coordinator.coverage;
  const names = useNames();
  const value = 'value' in coverage ? coverage.value : undefined;
  const uncovered = value?.items.filter((i) => !i.covered) ?? [];
  return (
    <section className="coordinator-panel coordinator-coverage" aria-labelledby="coordinator-coverage-title" data-testid="coverage-panel">
      <h2 id="coordinator-coverage-title">{words.title}</h2>
      {value?.campaign && <p className="coordinator-muted">{fill(words.campaignNight, { name: value.campaign.name, night: value.campaign.night })}</p>}
      {coverage.state === 'failed' && <p className="coordinator-problem" role="status">{words.failed}: {coverage.error}</p>}
      {!value ? <p className="coordinator-muted">{m.app.loading}</p> : (
        <>
          <p className="coordinator-coverage-summary" data-testid="coverage-summary">
            <strong>{fill(words.summary, { covered: value.summary.covered, total: value.summary.hotSpots })}</strong>
            {value.coldWave && <span className="coordinator-coverage-flag"> · {words.coldWave}</span>}
            {value.holiday && <span className="coordinator-coverage-flag"> · {words.holiday}</span>}
          </p>
          {!uncovered.length ? <p>{words.allCovered}</p> : (
            <>
              <h3>{words.uncovered}</h3>
              <ul className="coordinator-coverage-list" data-testid="uncovered-hot-spots">
                {uncovered.map((item) => (
                  <li key={item.hotSpotId} data-hot-spot-id={item.hotSpotId} data-priority={item.priority}>
                    <span className={`coordinator-coverage-priority coordinator-coverage-${item.priority}`}>{item.name}</span>
                    {' '}<span>{fill(words.checks, { checks: item.checks, target: item.target })}</span>
                    {' · '}<span className="coordinator-muted">
                      {item.lastCheckedAt ? `${fill(words.last, { time: time(item.lastCheckedAt) })} ${names.team(item.lastTeamId) ?? ''}` : words.never}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
