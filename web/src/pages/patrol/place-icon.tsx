import type { PlaceType } from '#shared/contract/vocabulary';

/** Line drawings of the place types, so that the right button is found at a glance; the word beside it names it. */
const PATHS: Record<PlaceType, string> = {
  bridge: 'M2 8h20M5 8v12M19 8v12M5 20a7 7 0 0 1 14 0',
  culvert: 'M2 20h20M4 20v-9l8-5 8 5v9M7 20a5 5 0 0 1 10 0',
  underpass: 'M2 7h20M4 20v-5a8 6 0 0 1 16 0v5M12 10v2',
  street: 'M8 3 4 21M16 3l4 18M12 4v3M12 11v3M12 18v3',
  construction_site: 'M5 21V4h15M5 8l4-4M17 4v6M15 10h4v3h-4zM2 21h7',
  park: 'M12 21v-6M8 21h8M12 15a6 6 0 1 0 0-12 6 6 0 0 0 0 12',
  transport_hub: 'M6 3h12a2 2 0 0 1 2 2v13H4V5a2 2 0 0 1 2-2zM4 11h16M8 18v3M16 18v3',
  station_square: 'M3 21h18M5 21V10h14v11M3 10l9-6 9 6M12 12v3l2 1',
  other: 'M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12zM12 11.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5',
};

export function PlaceIcon({ type }: { type: PlaceType }) {
  return (
    <svg className="patrol-place-icon" viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" focusable="false"
      fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[type]} />
    </svg>
  );
}
