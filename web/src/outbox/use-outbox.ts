import { useEffect, useSyncExternalStore } from 'react';
import { getSnapshot, type OutboxSnapshot, startOutbox, subscribe } from './outbox';

/** The signed-in member's outbox, kept current; mounting it starts the sender. */
export function useOutbox(): OutboxSnapshot {
  useEffect(() => startOutbox(), []);
  return useSyncExternalStore(subscribe, getSnapshot);
}

const subscribeOnline = (listener: () => void) => {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
};

/** Whether the browser thinks it has a network (false is certain; true may still be one bar that drops everything). */
export const useOnline = () => useSyncExternalStore(subscribeOnline, () => navigator.onLine);
