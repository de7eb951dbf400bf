import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { PLACE_TYPES, type PlaceType } from '#shared/contract/vocabulary';
import { api, ApiError, type HotSpot } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { fill } from '../../app/words';
import { download } from '../../app/download';

const problemOf = (error: unknown) => (error instanceof ApiError ? error.problem.detail || error.problem.title : (error as Error).message);

/**
 * The coordinator's register of hot spots: every one, added by hand (a point, its radius, type, district and
 * priority), removed, or imported from a GeoJSON file (as a GIS exports it) and exported back. The wall, the phones
 * and the coverage read them from the API.
 */
export function HotSpotsDialog({ onClose }: { onClose: () => void }) {
  const { m } = useI18n();
  const words = m.coordinator.hotSpots;
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [spots, setSpots] = useState<HotSpot[]>();
  const [message, setMessage] = useState<{ text: string; problem?: boolean }>();
  const [draft, setDraft] = useState({ name: '', type: 'bridge' as PlaceType, district: '', priority: 'normal' as 'high' | 'normal', radiusM: '50', lat: '', lon: '' });

  const load = useCallback(() => api.hotSpots().then(({ items }) => setSpots(items), (error) => setMessage({ text: fill(words.failed, { detail: problemOf(error) }), problem: true })), [words]);
  useEffect(() => {
    if (!dialog.current!.open) dialog.current!.showModal();
    void load();
  }, [load]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const created = await api.createHotSpot({
        name: draft.name, type: draft.type, priority: draft.priority, radiusM: Number(draft.radiusM),
        location: { lat: Number(draft.lat), lon: Number(draft.lon) }, ...(draft.district.trim() ? { district: draft.district.trim() } : {}),
      }, `hot-spot-${crypto.randomUUID()}`);
      setMessage({ text: fill(words.added, { name: created.name }) });
      setDraft((d) => ({ ...d, name: '', lat: '', lon: '' }));
      await load();
    } catch (error) {
      setMessage({ text: fill(words.failed, { detail: problemOf(error) }), problem: true });
    }
  };

  const remove = async (spot: HotSpot) => {
    try {
      await api.deleteHotSpot(spot.hotSpotId);
      await load();
    } catch (error) {
      setMessage({ text: fill(words.failed, { detail: problemOf(error) }), problem: true });
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    let collection: unknown;
    try {
      collection = JSON.parse(await file.text());
    } catch {
      setMessage({ text: words.notJson, problem: true });
      return;
    }
    try {
      const { created, replaced } = await api.importHotSpots(collection);
      setMessage({ text: fill(words.imported, { created, replaced }) });
      await load();
    } catch (error) {
      setMessage({ text: fill(words.failed, { detail: problemOf(error) }), problem: true });
    }
  };

  const exportFile = async () => {
    download(JSON.stringify(await api.hotSpotsGeoJson(), null, 2), 'hot-spots.geojson', 'application/geo+json');
  };

  const field = (name: keyof typeof draft, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input value={draft[name]} onChange={(e) => setDraft((d) => ({ ...d, [name]: e.target.value }))} {...props} />
    </label>
  );

  return (
    <dialog ref={dialog} className="coordinator-detail coordinator-hot-spots" aria-labelledby={titleId} onClose={onClose} data-testid="hot-spots-dialog">
      <div className="coordinator-detail-head">
        <h2 id={titleId}>{words.title}</h2>
        <button type="button" className="button-quiet" onClick={() => dialog.current!.close()}>{m.app.close}</button>
      </div>
      {message && <p role={message.problem ? 'alert' : 'status'} className={message.problem ? 'coordinator-problem' : ''} data-testid="hot-spots-message">{message.text}</p>}
      <form className="coordinator-hot-spot-form" onSubmit={(e) => void add(e)}>
        {field('name', words.name, { required: true, maxLength: 200 })}
        <label>
          {words.type}
          <select value={draft.type} onChange={(e) => setDraft((d) => ({ ...d, type: e.target.value as PlaceType }))}>
            {PLACE_TYPES.map((t) => <option key={t} value={t}>{m.place[t]}</option>)}
          </select>
        </label>
        <label>
          {words.priority}
          <select value={draft.priority} onChange={(e) => setDraft((d) => ({ ...d, priority: e.target.value as 'high' | 'normal' }))}>
            <option value="high">{words.high}</option>
            <option value="normal">{words.normal}</option>
          </select>
        </label>
        {field('district', words.district, { maxLength: 200 })}
        {field('lat', words.lat, { required: true, inputMode: 'decimal', pattern: '-?\\d+(\\.\\d+)?' })}
        {field('lon', words.lon, { required: true, inputMode: 'decimal', pattern: '-?\\d+(\\.\\d+)?' })}
        {field('radiusM', words.radius, { required: true, type: 'number', min: 5, max: 1000 })}
        <button type="submit" className="button-primary">{words.add}</button>
      </form>
      <div className="coordinator-hot-spot-files">
        <label className="button-like">
          {words.importFile}
          <input type="file" accept=".geojson,.json,application/geo+json,application/json" onChange={(e) => void importFile(e.target.files?.[0])} data-testid="hot-spots-import" />
        </label>
        <button type="button" onClick={() => void exportFile()}>{words.exportFile}</button>
      </div>
      {spots && (
        <table className="coordinator-hot-spot-table" data-testid="hot-spots-table">
          <caption>{fill(words.count, { count: spots.length })}</caption>
          <thead><tr><th scope="col">{words.name}</th><th scope="col">{words.type}</th><th scope="col">{words.district}</th><th scope="col">{words.priority}</th><th scope="col">{words.radius}</th><th scope="col"><span className="visually-hidden">{words.remove}</span></th></tr></thead>
          <tbody>
            {spots.map((spot) => (
              <tr key={spot.hotSpotId} data-hot-spot-id={spot.hotSpotId}>
                <td>{spot.name}</td><td>{m.place[spot.type]}</td><td>{spot.district ?? '—'}</td>
                <td>{spot.priority === 'high' ? words.high : words.normal}</td><td>{spot.radiusM}</td>
                <td><button type="button" className="button-quiet" aria-label={fill(words.removeLabel, { name: spot.name })} onClick={() => void remove(spot)}>{words.remove}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </dialog>
  );
}
