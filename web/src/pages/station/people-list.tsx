import type { CaseDetail } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { fill } from '../../app/words';

/** The people of a case (age group, sex, conditions), each as the most specific report described them. */
export function PeopleList({ people }: { people: CaseDetail['people'] }) {
  const { m } = useI18n();
  if (people.length === 0) return <p className="station-muted">{m.station.people.none}</p>;
  return (
    <ul className="station-people" aria-label={fill(m.station.people.count, { count: people.length })}>
      {people.map((person, index) => (
        <li key={index}>
          {fill(m.station.people.person, { ageGroup: m.ageGroup[person.ageGroup], sex: m.sex[person.sex] })}
          {person.conditions.length > 0 && (
            <span className="station-conditions"> · {person.conditions.map((c) => m.condition[c]).join(m.station.people.separator)}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
