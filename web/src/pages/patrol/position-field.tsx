import { useMemo, useState } from 'react';
import type { PlaceType } from '#shared/contract/vocabulary';
import { useI18n } from '../../app/i18n';
import { useConfig } from '../../app/use-config';
import { type HotSpot, useHotSpots } from '../../map/hot-spots';
import { distanceM, type KnownFix, lastKnownFix } from './position';
import type { PlacedBy, PositionState } from './use-position';
import { fill } from '../../app/words';
import { distanceText } from '../../app/distance-text';

/** Where someone at a hot spot may be: its radius (the contract's default), the accuracy a report placed there claims. */
export const HOT_SPOT_ACCURACY_M = 50;

/** A hot spot the member can place a report at, with how far it is from the phone's last fix when there is one. */
interface SpotChoice {
  id: string;
  name: string;
  type: PlaceType;
  district?: string;
  lat: number;
  lon: number;
  distanceM?: number;
}

/** The hot spots, nearest the last fix first (else by district and name): under a bridge the last fix is close. */
function spotChoices(hotSpots: readonly HotSpot[], last: KnownFix | undefined): SpotChoice[] {
  const spots = hotSpots.map((spot): SpotChoice => {
    const { name, type, district, location: { lat, lon } } = spot;
    return {
      id: spot.hotSpotId, name, type, lat, lon, ...(district ? { district } : {}),
      ...(last ? { distanceM: distanceM(last, { lat, lon }) } : {}),
    };
  });
  return spots.sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0)
    || (a.district ?? '').localeCompare(b.district ?? '', 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * Where the phone is, for a report or an arrival: the accuracy, or why not and what to do about it. Culverts and
 * underpasses are where GPS fails, so a report can also be placed by hand (`onPlace`): at a known hot spot, or at a
 * typed address in a district, each with an honest accuracy. A report is never refused for want of a fix.
 */
export function PositionField({ position, retry, takeLast, onPlace }: {
  position: PositionState;
  retry: () => void;
  takeLast: (fix: KnownFix) => void;
  /** Offered on a report, not on an arrival (arriving is where the phone is). */
  onPlace?: (fix: KnownFix, placedBy: PlacedBy, spot?: { name: string; type: PlaceType }) => void;
}) {
  const i18n = useI18n();
  const { m, relative } = i18n;
  const words = m.patrol.position;
  const ageOf = (fix: KnownFix) => relative(new Date(fix.at).toISOString());
  const [byHand, setByHand] = useState(false);
  const handOpen = byHand || (position.state === 'failed' && !!onPlace);
  return (
    <section className={`patrol-position patrol-position-${position.state}`} aria-labelledby="patrol-position-heading">
      <h3 id="patrol-position-heading">{words.heading}</h3>
      <p role="status" aria-live="polite" className="patrol-position-text" data-testid="position-status" data-state={position.state}
        data-placed-by={position.state === 'fixed' ? position.placedBy?.kind ?? 'gps' : undefined}>
        {position.state === 'locating' && words.locating}
        {position.state === 'fixed' && (position.placedBy
          ? fill(words.placed, { label: position.placedBy.label, m: i18n.number(position.fix.accuracyM ?? 0) })
          : position.fromLast
            ? fill(words.usingLast, { age: ageOf(position.fix), m: position.fix.accuracyM ?? '?' })
            : fill(words.fixed, { m: position.fix.accuracyM ?? '?' }))}
        {position.state === 'failed' && words[position.reason]}
      </p>
      {position.state !== 'locating' && (
        <div className="patrol-row">
          <button type="button" className="button-large" onClick={retry}>{words.retry}</button>
          {position.state === 'failed' && position.last && (
            <button type="button" className="button-large" onClick={() => takeLast(position.last!)}>
              {fill(words.useLast, { age: ageOf(position.last), m: position.last.accuracyM ?? '?' })}
            </button>
          )}
          {onPlace && !handOpen && <button type="button" className="button-large" onClick={() => setByHand(true)}>{words.byHand}</button>}
        </div>
      )}
      {onPlace && handOpen && <PlaceByHand onPlace={onPlace} />}
    </section>
  );
}

function PlaceByHand({ onPlace }: { onPlace: NonNullable<Parameters<typeof PositionField>[0]['onPlace']> }) {
  const i18n = useI18n();
  const words = i18n.m.patrol.position;
  const hotSpots = useHotSpots();
  const spots = useMemo(() => spotChoices(hotSpots, lastKnownFix()), [hotSpots]);
  const [chosen, setSpotId] = useState<string>();
  // The nearest until the member chooses; the list may arrive after the dialog opens.
  const spotId = chosen ?? spots[0]?.id ?? '';
  const [address, setAddress] = useState('');
  const [district, setDistrict] = useState('');
  // The city's districts (config.json): a typed address is placed at its district's centre, as honestly vague.
  const { districts } = useConfig().city;

  const placeAtSpot = () => {
    const spot = spots.find((s) => s.id === spotId);
    if (!spot) return;
    onPlace({ lat: spot.lat, lon: spot.lon, accuracyM: HOT_SPOT_ACCURACY_M, at: Date.now() },
      { kind: 'hot_spot', label: spot.name }, { name: spot.name, type: spot.type });
  };
  const placeAtAddress = () => {
    const area = districts.find((d) => d.name === district);
    if (!area || !address.trim()) return;
    onPlace({ lat: area.lat, lon: area.lon, accuracyM: area.radiusM, at: Date.now() }, { kind: 'address', label: `${address.trim()}（${area.name}）` });
  };
  return (
    <div className="patrol-by-hand" data-testid="place-by-hand">
      <p className="patrol-muted">{words.byHandHint}</p>
      <label className="patrol-label">
        {words.hotSpot}
        <select value={spotId} onChange={(e) => setSpotId(e.target.value)}>
          {spots.map((spot) => (
            <option key={spot.id} value={spot.id}>
              {spot.name}{spot.district ? ` · ${spot.district}` : ''}{spot.distanceM !== undefined ? ` · ${distanceText(spot.distanceM, i18n)}` : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button-large" onClick={placeAtSpot} disabled={!spotId}>{words.useHotSpot}</button>
      <label className="patrol-label">
        {words.address}
        <input type="text" value={address} maxLength={150} placeholder={words.addressHint} onChange={(e) => setAddress(e.target.value)} />
      </label>
      <label className="patrol-label">
        {words.district}
        <select value={district} onChange={(e) => setDistrict(e.target.value)}>
          <option value="">{words.chooseDistrict}</option>
          {districts.map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
        </select>
      </label>
      <button type="button" className="button-large" onClick={placeAtAddress} disabled={!address.trim() || !district}>{words.useAddress}</button>
    </div>
  );
}
