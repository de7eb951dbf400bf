import { useEffect, useState } from 'react';
import { api, type HotSpot } from '../app/api';

export type { HotSpot };

const KEPT = 'srp.hotSpots';
/** Read again this often while a page is open: coordinators add and move hot spots during the campaign. */
const REFRESH_MS = 10 * 60_000;

function kept(): HotSpot[] {
  try {
    const raw = localStorage.getItem(KEPT);
    return raw ? (JSON.parse(raw) as HotSpot[]) : [];
  } catch {
    return [];
  }
}

/**
 * The hot spots registered through the API (GET /v1/hot-spots), kept on this device so that a phone under a bridge
 * without signal can still place a report at one and check in there.
 */
export function useHotSpots(): HotSpot[] {
  const [hotSpots, setHotSpots] = useState<HotSpot[]>(kept);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      api.hotSpots(controller.signal).then(({ items }) => {
        setHotSpots(items);
        try {
          localStorage.setItem(KEPT, JSON.stringify(items));
        } catch { /* storage full or off: the list still shows */ }
      }, () => undefined).finally(() => {
        if (!controller.signal.aborted) timer = setTimeout(read, REFRESH_MS);
      });
    };
    read();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return hotSpots;
}
