/** Errors the domain raises on purpose; the HTTP layer maps each to one problem type and status in one place. */
export class DomainError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests',
    message: string,
    readonly details: { path: string; message: string }[] = [],
    /** For too_many_requests: when to try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, details: { path: string; message: string }[] = []) =>
  new DomainError('invalid', message, details);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
