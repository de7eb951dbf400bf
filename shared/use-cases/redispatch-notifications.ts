import type { Dependencies } from './dependencies';

/**
 * Dispatches again every notification still pending that was created before `olderThan`: one whose dispatch was
 * lost (a crash between the case change and the dispatch), or whose delivery execution was lost (a local restart).
 * Dispatching one whose delivery is under way is harmless (its execution is named by the notification), so this
 * needs no record of which executions exist. It reads the pending index, never the whole table.
 */
export async function redispatchPendingNotifications(
  deps: Pick<Dependencies, 'notifications' | 'notifier'>, olderThan: Date,
): Promise<number> {
  let dispatched = 0;
  for await (const page of deps.notifications.pendingBefore(olderThan.toISOString())) {
    await deps.notifier.dispatch(page);
    dispatched += page.length;
  }
  return dispatched;
}
