import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a receiving robot behaves: fails its first posts with a 502, always fails, or refuses with an errcode. */
export interface RobotBehaviour {
  failFirst?: number;
  alwaysFail?: boolean;
  refuseWithErrcode?: number;
}

interface Robot extends RobotBehaviour {
  posts: number;
  messages: unknown[];
}

/**
 * A team chat robot's webhook on a real local HTTP server: each robot (a path) answers as WeCom does, or fails as
 * told, and records every post and every message it took.
 */
export async function startChatRobotReceiver() {
  const robots = new Map<string, Robot>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const robot = robots.get(req.url ?? '');
      if (!robot || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      robot.posts += 1;
      if (robot.alwaysFail || robot.posts <= (robot.failFirst ?? 0)) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (robot.refuseWithErrcode) {
        res.end(JSON.stringify({ errcode: robot.refuseWithErrcode, errmsg: 'invalid webhook url' }));
        return;
      }
      robot.messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** A new robot; returns its webhook URL. */
    robot(name: string, behaviour: RobotBehaviour = {}): string {
      robots.set(`/robots/${name}`, { ...behaviour, posts: 0, messages: [] });
      return `${base}/robots/${name}`;
    },
    posts: (name: string) => robots.get(`/robots/${name}`)?.posts ?? 0,
    messages: (name: string) => robots.get(`/robots/${name}`)?.messages ?? [],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
