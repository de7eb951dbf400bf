import { useEffect, useState } from 'react';

export type Polled<T> = { state: 'loading' } | { state: 'ready'; value: T; at: number } | { state: 'failed'; error: string; value?: T };

/**
 * Something read from the API now and again every `everyMs` (and at once when `key` changes): coverage, warnings,
 * where the teams are. A failed read keeps the last value, so a wall on a flaky line does not go blank.
 */
export function usePolled<T>(read: (signal: AbortSignal) => Promise<T>, everyMs: number, key: unknown = undefined): Polled<T> {
  const [polled, setPolled] = useState<Polled<T>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const once = async () => {
      try {
        const value = await read(controller.signal);
        setPolled({ state: 'ready', value, at: Date.now() });
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        setPolled((last) => ({ state: 'failed', error: (error as Error).message, ...('value' in last && last.value !== undefined ? { value: last.value } : {}) }));
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void once(), everyMs);
    };
    void once();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // `read` is a new function each render; what it reads is named by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [everyMs, key]);
  return polled;
}

/** The value read, if any, fresh or kept from before a failure. */
export const polledValue = <T,>(polled: Polled<T>): T | undefined => ('value' in polled ? polled.value : undefined);
