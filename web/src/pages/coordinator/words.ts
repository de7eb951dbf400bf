export const isAbort = (error: unknown) => (error as Error | undefined)?.name === 'AbortError';
