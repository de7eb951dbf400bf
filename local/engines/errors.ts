/**
 * A problem with the local engines that a person has to fix (a busy port, a missing Java),
 * as opposed to a bug. The message says what is wrong and what to do about it.
 */
export class LocalEngineError extends Error {
  override readonly name = 'LocalEngineError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
