import { useCallback, useEffect, useState } from 'react';
import { type KnownFix, lastKnownFix, locate, type LocateFailure, onFix } from './position';

/** A position the member gave by hand, where the phone had none: at a known hot spot, or an address in a district. */
export interface PlacedBy {
  kind: 'hot_spot' | 'address';
  /** What the member chose or typed, as the station should read it. */
  label: string;
}

export type PositionState =
  | { state: 'locating' }
  | { state: 'fixed'; fix: KnownFix; fromLast: boolean; placedBy?: PlacedBy }
  | { state: 'failed'; reason: LocateFailure; last?: KnownFix };

/** A precise fix for a report or an arrival, asked for when mounted; on failure the member retries or uses the last one. */
export function usePositionFix() {
  const [position, setPosition] = useState<PositionState>({ state: 'locating' });
  const retry = useCallback(() => {
    setPosition({ state: 'locating' });
    locate({ precise: true }).then(
      (fix) => setPosition({ state: 'fixed', fix, fromLast: false }),
      (reason: LocateFailure) => {
        const last = lastKnownFix();
        setPosition({ state: 'failed', reason, ...(last ? { last } : {}) });
      },
    );
  }, []);
  const takeLast = useCallback((fix: KnownFix) => setPosition({ state: 'fixed', fix, fromLast: true }), []);
  const place = useCallback((fix: KnownFix, placedBy: PlacedBy) => setPosition({ state: 'fixed', fix, fromLast: false, placedBy }), []);
  useEffect(retry, [retry]);
  return { position, retry, takeLast, place };
}

/** Where the member is, roughly, for the distances on the case list: the last fix, refreshed when the page opens. */
export function useMemberPosition(): KnownFix | undefined {
  const [fix, setFix] = useState(lastKnownFix);
  useEffect(() => {
    const stop = onFix(setFix);
    locate({ precise: false }).catch(() => undefined);
    return stop;
  }, []);
  return fix;
}
