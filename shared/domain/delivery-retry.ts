/**
 * How the delivery state machine retries a notification that did not go out: after 15 s, then doubling, six
 * retries (seven attempts over about 16 minutes) before it gives up and shows the failure on the case.
 */
export const DELIVERY_RETRY = { intervalSeconds: 15, backoffRate: 2, maxRetries: 6 } as const;

/** Seconds from a failed attempt (counted from 1) to the next, as Step Functions' Retry waits; none after the last. */
export function retryDelaySeconds(failedAttempts: number): number | undefined {
  if (failedAttempts > DELIVERY_RETRY.maxRetries) return undefined;
  return DELIVERY_RETRY.intervalSeconds * DELIVERY_RETRY.backoffRate ** (failedAttempts - 1);
}
