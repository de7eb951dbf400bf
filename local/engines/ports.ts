import { createServer, type Server } from 'node:net';
import { LocalEngineError } from '#local/engines/errors';

/** A port the OS considers free right now; another process may still take it before you bind it. */
export async function findFreePort(): Promise<number> {
  const server = await listen({ port: 0, host: '127.0.0.1' });
  const address = server.address();
  await close(server);
  if (address === null || typeof address === 'string') {
    throw new Error(`Unexpected address for a TCP listener: ${String(address)}`);
  }
  return address.port;
}

/**
 * Throws a LocalEngineError naming the port and its purpose when the port is taken, e.g.
 * `assertPortFree(3000, 'the API', 'another `npm start` may be running. Stop it or set PORT=3001.')`.
 */
export async function assertPortFree(port: number, what: string, hint?: string): Promise<void> {
  let server: Server;
  try {
    // No host: Node binds the dual-stack wildcard, which collides with a holder on any local address.
    server = await listen({ port });
  } catch (error) {
    throw portUnavailableError(port, what, hint, error);
  }
  await close(server);
}

/** The error to throw when binding `port` failed; shared by engines that bind the port themselves. */
export function portUnavailableError(port: number, what: string, hint: string | undefined, cause: unknown): Error {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const advice = hint ?? 'stop the process holding it or choose another port.';
  if (code === 'EADDRINUSE') {
    return new LocalEngineError(`Port ${port} (${what}) is already in use: ${advice}`, { cause });
  }
  if (code === 'EACCES') {
    return new LocalEngineError(
      `Port ${port} (${what}) needs privileges this process does not have; use a port above 1023.`,
      { cause },
    );
  }
  return cause instanceof Error ? cause : new Error(String(cause));
}

function listen(options: { port: number; host?: string }): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ ...options, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
