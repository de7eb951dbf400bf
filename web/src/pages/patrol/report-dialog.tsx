import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type Condition, PLACE_TYPES, type PlaceType } from '#shared/contract/vocabulary';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { enqueueSighting } from '../../outbox/outbox';
import type { AgeGroup } from '../../outbox/outbox-rules';
import { preparePhoto } from '../../outbox/photos';
import { ModalDialog } from './modal-dialog';
import { PlaceIcon } from './place-icon';
import { PositionField } from './position-field';
import { ToggleButton } from './toggle-button';
import { usePositionFix } from './use-position';
import { fill } from '../../app/words';

const MAX_PEOPLE = 20;
// The conditions that raise the risk most come first: they are what the member sees first on a cold night.
const CONDITION_ORDER: readonly Condition[] = [
  'inadequate_clothing', 'ill', 'injured', 'intoxicated', 'mental_distress', 'pregnant', 'unaccompanied_minor', 'disabled',
];
const AGE_ORDER: readonly AgeGroup[] = ['elderly', 'adult', 'child', 'unknown'];

interface Photo {
  blob: Blob;
  url: string;
}

/**
 * The report form: the place, the people, a note and photos, and the position. Pressing "上报" keeps the report in
 * the outbox (IndexedDB) and closes the form; the outbox sends it when it can.
 */
export function ReportDialog({ onClose }: { onClose: () => void }) {
  const { m } = useI18n();
  const words = m.patrol.report;
  // The time of the sighting is when the member started to report it, not when the form was filled in.
  const [observedAt] = useState(Date.now);
  const { position, retry, takeLast, place } = usePositionFix();
  const [placeType, setPlaceType] = useState<PlaceType>();
  const [placeName, setPlaceName] = useState('');
  const [people, setPeople] = useState(1);
  const [ageGroup, setAgeGroup] = useState<AgeGroup>('unknown');
  const [conditions, setConditions] = useState<readonly Condition[]>([]);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [preparing, setPreparing] = useState(0);
  const [photoProblem, setPhotoProblem] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  // 我来处置: the person is at the member's feet; the team takes the case rather than wait for another to be alerted.
  const [take, setTake] = useState(false);
  const hasTeam = !!useSession()?.teamId;
  const placeGroup = useRef<HTMLFieldSetElement>(null);

  const latestPhotos = useRef(photos);
  latestPhotos.current = photos;
  useEffect(() => () => { for (const photo of latestPhotos.current) URL.revokeObjectURL(photo.url); }, []);

  const addPhotos = async (files: FileList | null) => {
    const list = [...(files ?? [])];
    if (!list.length) return;
    setPreparing((n) => n + list.length);
    setPhotoProblem(undefined);
    let unreadable = 0;
    for (const file of list) {
      try {
        const blob = await preparePhoto(file);
        setPhotos((current) => [...current, { blob, url: URL.createObjectURL(blob) }]);
      } catch {
        unreadable += 1;
      } finally {
        setPreparing((n) => n - 1);
      }
    }
    if (unreadable) setPhotoProblem(fill(words.photoUnreadable, { n: unreadable }));
  };

  const removePhoto = (photo: Photo) => {
    URL.revokeObjectURL(photo.url);
    setPhotos((current) => current.filter((p) => p !== photo));
  };

  const toggleCondition = (condition: Condition) =>
    setConditions((current) => (current.includes(condition) ? current.filter((c) => c !== condition) : [...current, condition]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!placeType) {
      setProblem(words.needPlace);
      placeGroup.current?.querySelector('button')?.focus();
      return;
    }
    if (position.state !== 'fixed') {
      setProblem(position.state === 'locating' ? m.patrol.position.locating : words.needLocation);
      return;
    }
    setSaving(true);
    setProblem(undefined);
    // A position given by hand says so where the station reads the report, and names the place if nothing else does.
    const placedBy = position.placedBy;
    const named = placeName.trim() || (placedBy?.kind === 'address' ? placedBy.label : '');
    const noted = placedBy ? [note.trim(), fill(words.placedNote, { label: placedBy.label })].filter(Boolean).join('\n') : note;
    try {
      await enqueueSighting(
        { observedAt, location: position.fix, placeType, placeName: named, people, ageGroup, conditions, note: noted },
        photos.map((photo) => photo.blob),
        { take },
      );
      onClose();
    } catch (error) {
      setProblem(fill(words.saveFailed, { detail: (error as Error).message }));
      setSaving(false);
    }
  };

  return (
    <ModalDialog title={words.title} onClose={onClose}>
      <form className="patrol-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="patrol-form-body">
          <PositionField position={position} retry={retry} takeLast={takeLast} onPlace={(fix, placedBy, spot) => {
            place(fix, placedBy);
            // At a hot spot, its name and type are the report's unless the member already chose them.
            if (spot) {
              setPlaceName((current) => current || spot.name);
              setPlaceType((current) => current ?? spot.type);
            }
          }} />

          <fieldset ref={placeGroup} className="patrol-fieldset">
            <legend>{words.place}</legend>
            <div className="patrol-place-grid">
              {PLACE_TYPES.map((type) => (
                <ToggleButton key={type} className="patrol-place" pressed={placeType === type} onToggle={() => setPlaceType(type)}>
                  <PlaceIcon type={type} />
                  <span>{m.place[type]}</span>
                </ToggleButton>
              ))}
            </div>
          </fieldset>

          <label className="patrol-label">
            {words.placeName}
            <input type="text" value={placeName} maxLength={200} placeholder={words.placeNameHint} enterKeyHint="next"
              onChange={(event) => setPlaceName(event.target.value)} />
          </label>

          <fieldset className="patrol-fieldset">
            <legend id="patrol-people-legend">{words.people}</legend>
            <div className="patrol-stepper">
              <button type="button" aria-label={words.fewer} disabled={people <= 1} onClick={() => setPeople((n) => Math.max(1, n - 1))}>−</button>
              <output aria-live="polite" aria-labelledby="patrol-people-legend">{people}</output>
              <button type="button" aria-label={words.more} disabled={people >= MAX_PEOPLE} onClick={() => setPeople((n) => Math.min(MAX_PEOPLE, n + 1))}>+</button>
            </div>
          </fieldset>

          <fieldset className="patrol-fieldset">
            <legend>{words.ageGroup}</legend>
            <div className="patrol-choice-grid">
              {AGE_ORDER.map((age) => (
                <ToggleButton key={age} pressed={ageGroup === age} onToggle={() => setAgeGroup(age)}>{m.ageGroup[age]}</ToggleButton>
              ))}
            </div>
          </fieldset>

          <fieldset className="patrol-fieldset">
            <legend>{words.conditions}</legend>
            <div className="patrol-choice-grid">
              {CONDITION_ORDER.map((condition) => (
                <ToggleButton key={condition} pressed={conditions.includes(condition)} onToggle={() => toggleCondition(condition)}>
                  {m.condition[condition]}
                </ToggleButton>
              ))}
            </div>
          </fieldset>

          <label className="patrol-label">
            {words.note}
            <textarea value={note} rows={3} maxLength={2000} onChange={(event) => setNote(event.target.value)} />
          </label>

          <fieldset className="patrol-fieldset">
            <legend>{words.photos}</legend>
            {photos.length > 0 && (
              <ul className="patrol-photos">
                {photos.map((photo, index) => (
                  <li key={photo.url}>
                    <img src={photo.url} alt={fill(words.photoN, { n: index + 1 })} />
                    <button type="button" aria-label={fill(words.removePhoto, { n: index + 1 })} onClick={() => removePhoto(photo)}>✕</button>
                  </li>
                ))}
              </ul>
            )}
            <label className="patrol-photo-button button-large">
              <input type="file" accept="image/*" capture="environment" multiple className="visually-hidden"
                onChange={(event) => { void addPhotos(event.target.files); event.target.value = ''; }} />
              {words.takePhoto}
            </label>
            <p role="status" aria-live="polite" className="patrol-hint">{preparing > 0 ? words.preparingPhotos : photoProblem ?? ''}</p>
          </fieldset>
        </div>

        <div className="patrol-form-footer">
          {hasTeam && (
            <ToggleButton className="patrol-take" pressed={take} onToggle={() => setTake((t) => !t)}>
              {words.take}
            </ToggleButton>
          )}
          {problem && <p role="alert" className="patrol-problem">{problem}</p>}
          <button type="submit" className="button-primary button-large patrol-submit" disabled={saving || preparing > 0}>{words.submit}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
