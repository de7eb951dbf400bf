import { type FormEvent, useState } from 'react';
import { SUPPLY_KINDS } from '#shared/domain/supplies';
import { api, ApiError, type StationSupplies } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { usePolled, polledValue } from '../../app/use-polled';
import { fill } from '../../app/words';

/**
 * The station's supplies against what it should hold tonight (more for each person in its care, more in a cold
 * wave): shortfalls stand out, and the duty officer records a count of the store room here.
 */
export function SuppliesPanel({ stationId }: { stationId: string }) {
  const { m, time } = useI18n();
  const words = m.station.supplies;
  const [version, setVersion] = useState(0);
  const polled = usePolled((signal) => api.supplies(signal), 60_000, version);
  const [counted, setCounted] = useState<StationSupplies>();
  const row = counted ?? polledValue(polled)?.items.find((i) => i.stationId === stationId);
  const [draft, setDraft] = useState<Record<string, string>>();
  const [problem, setProblem] = useState<string>();
  if (!row) return null;
  const short = new Map(row.shortfalls.map((s) => [s.kind, s.short]));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      const stock = Object.fromEntries(SUPPLY_KINDS.map((k) => [k, Number(draft?.[k] ?? 0)]));
      setCounted(await api.countSupplies(stationId, stock));
      setDraft(undefined);
      setVersion((n) => n + 1);
    } catch (error) {
      setProblem(fill(words.failed, { detail: error instanceof ApiError ? error.problem.detail : (error as Error).message }));
    }
  };

  return (
    <section className="station-list station-supplies" aria-labelledby="station-supplies-heading" data-testid="supplies" data-short={row.shortfalls.length}>
      <h2 id="station-supplies-heading">{words.title}</h2>
      <p className="station-supplies-note">
        {fill(words.people, { count: row.peopleInCare })}
        {row.countedAt ? ` · ${fill(words.counted, { time: time(row.countedAt) })}` : ` · ${words.notCounted}`}
      </p>
      {row.coldWave !== 'none' && <p className="station-supplies-cold">{words.coldWave}</p>}
      {!draft ? (
        <>
          <table>
            <thead><tr><th scope="col">{words.kind}</th><th scope="col">{words.stock}</th><th scope="col">{words.target}</th><th scope="col">{words.short}</th></tr></thead>
            <tbody>
              {SUPPLY_KINDS.map((kind) => (
                <tr key={kind} className={short.has(kind) ? 'station-supplies-short' : ''} data-kind={kind}>
                  <th scope="row">{words.kinds[kind]}</th>
                  <td>{row.stock ? row.stock[kind] : '—'}</td>
                  <td>{row.targets[kind]}</td>
                  <td>{short.get(kind) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => setDraft(Object.fromEntries(SUPPLY_KINDS.map((k) => [k, String(row.stock?.[k] ?? 0)])))} data-testid="count-supplies">{words.count}</button>
        </>
      ) : (
        <form onSubmit={(e) => void save(e)} className="station-supplies-form">
          {SUPPLY_KINDS.map((kind) => (
            <label key={kind}>
              {words.kinds[kind]}
              <input type="number" min={0} max={1_000_000} required value={draft[kind] ?? ''} onChange={(e) => setDraft((d) => ({ ...d, [kind]: e.target.value }))} />
            </label>
          ))}
          <button type="submit" className="button-primary">{words.save}</button>
          <button type="button" onClick={() => setDraft(undefined)}>{m.app.cancel}</button>
        </form>
      )}
      {problem && <p role="alert" className="error">{problem}</p>}
    </section>
  );
}
