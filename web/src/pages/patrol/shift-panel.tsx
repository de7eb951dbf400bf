import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { distanceText } from '../../app/distance-text';
import { useI18n } from '../../app/i18n';
import { fill } from '../../app/words';
import { useHotSpots } from '../../map/hot-spots';
import { distanceM, type KnownFix, lastKnownFix, onFix } from './position';
import { checkIn, checkInWithPhoto, endShift, getShiftSnapshot, startShift, startShiftTracking, subscribeShift } from './shift';
import { preparePhoto } from '../../outbox/photos';

/** Hot spots offered for a check-in: the nearest few within this distance of the phone's last fix. */
const NEAR_M = 600;
const NEAREST = 3;

/**
 * The team's shift: start and end it (positions are sent only while on), what is waiting to be sent, and a check-in
 * at the hot spots nearby (拍照打卡 without the photo for now: "nobody here", or "people found", which opens a report).
 */
export function ShiftPanel({ onPeopleFound }: { onPeopleFound: () => void }) {
  const i18n = useI18n();
  const { m } = i18n;
  const words = m.patrol.shift;
  const shift = useSyncExternalStore(subscribeShift, getShiftSnapshot);
  useEffect(() => startShiftTracking(), []);
  const [fix, setFix] = useState<KnownFix | undefined>(lastKnownFix);
  useEffect(() => onFix(setFix), []);
  const hotSpots = useHotSpots();
  const near = useMemo(() => (fix ? hotSpots
    .map((spot) => ({ spot, distance: distanceM(fix, spot.location) }))
    .filter(({ distance }) => distance <= NEAR_M)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, NEAREST) : []), [hotSpots, fix]);
  const [done, setDone] = useState<string>();

  const draftAt = (hotSpotId: string, name: string) => ({
    hotSpotId, name,
    body: { at: new Date().toISOString(), location: { lat: fix!.lat, lon: fix!.lon, ...(fix!.accuracyM ? { accuracyM: fix!.accuracyM } : {}) }, outcome: 'nobody' as const },
  });
  const checkNobody = (hotSpotId: string, name: string) => {
    if (!fix) return;
    checkIn(draftAt(hotSpotId, name));
    setDone(fill(navigator.onLine ? m.patrol.checkIn.done : m.patrol.checkIn.queuedDone, { name }));
  };
  const checkWithPhoto = async (hotSpotId: string, name: string, file: File | undefined) => {
    if (!fix || !file) return;
    const sent = await checkInWithPhoto(draftAt(hotSpotId, name), await preparePhoto(file));
    setDone(fill(sent ? m.patrol.checkIn.done : m.patrol.checkIn.photoNotSent, { name }));
  };

  return (
    <section className={`patrol-shift patrol-shift-${shift.on ? 'on' : 'off'}`} aria-labelledby="patrol-shift-heading" data-testid="shift-panel" data-on={shift.on}>
      <h2 id="patrol-shift-heading" className="visually-hidden">{words.start}</h2>
      <p role="status" className="patrol-shift-status" data-testid="shift-status">
        {shift.on ? words.on : words.off}
        {shift.queued > 0 && <> · <span data-testid="positions-queued">{fill(words.queued, { count: shift.queued })}</span></>}
        {shift.lastSentAt && <> · {fill(words.lastSent, { time: i18n.time(new Date(shift.lastSentAt).toISOString()) })}</>}
      </p>
      {shift.locateError && shift.on && <p className="patrol-note" role="alert">{words.denied}</p>}
      <button type="button" className={shift.on ? 'button-quiet' : 'button-primary'} onClick={() => (shift.on ? endShift() : startShift())} data-testid="shift-toggle">
        {shift.on ? words.end : words.start}
      </button>
      {shift.on && (
        <div className="patrol-check-in" data-testid="check-in">
          <h3>{m.patrol.checkIn.title}</h3>
          {!fix ? <p className="patrol-note">{m.patrol.checkIn.noFix}</p> : !near.length ? <p className="patrol-note">{m.patrol.checkIn.none}</p> : (
            <ul>
              {near.map(({ spot, distance }) => (
                <li key={spot.hotSpotId} data-hot-spot-id={spot.hotSpotId}>
                  <span className="patrol-check-in-name">{spot.name}</span> <span className="patrol-note">{distanceText(distance, i18n)}</span>
                  <div className="patrol-check-in-actions">
                    <button type="button" onClick={() => checkNobody(spot.hotSpotId, spot.name)}>{m.patrol.checkIn.nobody}</button>
                    <label className="button-like patrol-check-in-photo">
                      {m.patrol.checkIn.photo}
                      <input type="file" accept="image/*" capture="environment" className="visually-hidden"
                        onChange={(e) => void checkWithPhoto(spot.hotSpotId, spot.name, e.target.files?.[0])} data-testid="check-in-photo" />
                    </label>
                    <button type="button" onClick={() => {
                      // The hot spot is checked (people found there); who they are goes in the report that opens.
                      if (fix) checkIn({ ...draftAt(spot.hotSpotId, spot.name), body: { ...draftAt(spot.hotSpotId, spot.name).body, outcome: 'people_found' } });
                      onPeopleFound();
                    }}>{m.patrol.checkIn.peopleFound}</button>
                  </div>
                </li>
              ))}
            </ul>
          )}
          {done && <p role="status" data-testid="check-in-done">{done}</p>}
          {shift.refused && <p role="alert" className="patrol-problem">{shift.refused}</p>}
        </div>
      )}
    </section>
  );
}
