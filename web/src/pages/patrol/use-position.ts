import { useCallback, useEffect, useState } from 'react';
import { type KnownFix, lastKnownFix, locate, type LocateFailure, onFix } from './position';

export type PositionState =
  | { state: 'locating' }
  | { state: 'fixed'; fix: KnownFix; fromLast: boolean }
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
  useEffect(retry, [retry]);
  return { position, retry, takeLast };
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
