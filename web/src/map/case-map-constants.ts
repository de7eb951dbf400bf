/** A team's last position is stale past this: drawn faded, and its home base is where dispatch reckons it. */
export const TEAM_STALE_MS = 5 * 60_000;
