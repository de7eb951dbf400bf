/**
 * What a page must settle before its member signs out: the patrol phone's unsent reports. One page is open at a
 * time, so one guard; it answers whether signing out may go on (it may send first, or ask the member).
 */
type SignOutGuard = () => Promise<boolean>;

let guard: SignOutGuard | undefined;

/** Sets the page's guard; returns what removes it (for an effect's cleanup). */
export function setSignOutGuard(next: SignOutGuard): () => void {
  guard = next;
  return () => {
    if (guard === next) guard = undefined;
  };
}

export const maySignOut = (): Promise<boolean> => (guard ? guard() : Promise.resolve(true));
