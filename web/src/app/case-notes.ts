import type { CaseDetail } from './api';

/**
 * The notes of a case: what the reporters wrote with their sightings, and the notes added since, oldest first, each
 * with who wrote it (an actor, for the page to name: app/use-teams, components/case-timeline's actorText).
 */
export function caseNotes(detail: Pick<CaseDetail, 'sightings' | 'timeline'>): { at: string; text: string; by?: CaseDetail['timeline'][number]['actor'] }[] {
  const fromSightings = detail.sightings.filter((s) => s.note).map((s) => ({ at: s.observedAt, text: s.note!, by: s.reportedBy }));
  const added = detail.timeline.filter((e) => e.type === 'note' && typeof e.text === 'string')
    .map((e) => ({ at: e.at, text: e.text as string, ...(e.actor ? { by: e.actor } : {}) }));
  return [...fromSightings, ...added].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
