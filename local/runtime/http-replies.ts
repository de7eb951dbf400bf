import type { ServerResponse } from 'node:http';
import { type Problem, problemResponse } from '#shared/http/problem';

/** The local runtime's own answers (health, dev tokens, pages, chat robots), outside the API's handlers. */
export const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** A problem (RFC 9457) as the API's own handlers answer it. */
export const sendProblem = (res: ServerResponse, p: Problem) => {
  const r = problemResponse(p);
  res.writeHead(r.statusCode!, r.headers as Record<string, string>);
  res.end(r.body);
};
