import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEngineError } from '#local/engines/errors';
import { assertPortFree, findFreePort } from '#local/engines/ports';

describe('ports', () => {
  let holder: Server | undefined;
  afterEach(() => new Promise<void>((done) => (holder ? holder.close(() => done()) : done())));

  it('finds a port that can be bound', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    await expect(assertPortFree(port, 'a test server')).resolves.toBeUndefined();
  });

  it('names the port, its purpose and the fix when the port is held', async () => {
    const port = await findFreePort();
    holder = createServer();
    await new Promise<void>((done) => holder!.listen(port, '127.0.0.1', done));

    const attempt = assertPortFree(port, 'the API', 'another `npm start` may be running. Stop it or set PORT=3001.');

    await expect(attempt).rejects.toBeInstanceOf(LocalEngineError);
    await expect(attempt).rejects.toThrow(
      `Port ${port} (the API) is already in use: another \`npm start\` may be running. Stop it or set PORT=3001.`,
    );
    await expect(attempt).rejects.toHaveProperty('name', 'LocalEngineError');
  });
});
