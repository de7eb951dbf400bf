import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import S3rver, { type S3rverEvent, type S3rverEventRecord } from 's3rver';
import { portUnavailableError } from '#local/engines/ports';
import { presignedRequestProblem } from '#local/engines/sigv4-check';

export type { S3Event, S3EventRecord };

export interface S3LocalOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Absent: a temporary directory, deleted by stop(). */
  dataDir?: string;
  /**
   * Called, after the request that caused it has been answered, with an event shaped as S3 sends it to Lambda.
   * Events are in-process only: start S3 in the process that handles them.
   */
  onEvent?: (event: S3Event) => void | Promise<void>;
  /** Receives one line per request and any server or onEvent error; without it the server is silent. */
  log?: (line: string) => void;
}

export interface S3Local {
  endpoint: string;
  port: number;
  /** Closes the server, cutting sockets still busy after 1 s; safe to call more than once. */
  stop(): Promise<void>;
}

/** The only key pair s3rver accepts (its built-in account); every S3 client and presigner must sign with it. */
export const S3_LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

// In-flight requests get this long to finish before their sockets are destroyed.
const CLOSE_GRACE_MS = 1_000;

/*
 * CORS for browser uploads: s3rver answers preflights only for buckets that have a CORS configuration,
 * and it stores one through the ordinary PutBucketCors call (PUT /<bucket>?cors). The local runtime
 * applies each bucket's CorsConfiguration from the synthesized CDK template that way, as AWS would.
 */

/** Starts s3rver in this process on 127.0.0.1; clients must use path-style addressing. */
export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  const temporaryDir = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 's3-local-'));
  const directory = options.dataDir ? resolve(options.dataDir) : temporaryDir!;
  if (options.dataDir) await mkdir(directory, { recursive: true });

  const server = new S3rver({ directory, silent: true, vhostBuckets: false });
  // Its winston logger would still warn on stderr about requests that finish after close(); requests are
  // logged below instead.
  server.logger.silent = true;
  const log = options.log;
  server.on('error', (error) => log?.(`s3rver error: ${error.message}`));

  let stopped = false;
  const { onEvent } = options;
  if (onEvent) {
    server.on('event', (event) => {
      // s3rver emits inside the request; deferring keeps a failing handler from failing the upload, as on AWS.
      setImmediate(() => {
        if (stopped) return;
        void deliver(server, event, onEvent).catch((error: unknown) => {
          // A broken handler must not pass unnoticed, so it is reported even when logging is off.
          (log ?? console.error)(`S3 event handler failed: ${error instanceof Error ? error.stack : String(error)}`);
        });
      });
    });
  }

  // listen() with a callback hands back the http.Server, so a busy port becomes an error here
  // instead of the unhandled 'error' event that run() would leave behind.
  let httpServer!: Server;
  const s3rverHandler = server.callback();
  try {
    await new Promise<void>((listening, fail) => {
      // s3rver does not check SigV4 signatures at all; S3 does, and presigned URLs carry our upload limits.
      httpServer = createServer((req, res) => {
        void presignedRequestProblem(req, S3_LOCAL_CREDENTIALS).then((problem) => {
          if (!problem) return s3rverHandler(req, res);
          req.resume();
          res.writeHead(403, { 'content-type': 'application/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${problem === 'Request has expired' || problem.startsWith('anonymous') ? 'AccessDenied' : 'SignatureDoesNotMatch'}</Code><Message>${problem}</Message></Error>`);
        }, (error: unknown) => {
          log?.(`signature check failed: ${String(error)}`);
          res.writeHead(500).end();
        });
      });
      httpServer.once('error', fail);
      httpServer.listen(options.port ?? 0, '127.0.0.1', () => {
        httpServer.off('error', fail);
        listening();
      });
    });
  } catch (error) {
    if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
    throw portUnavailableError(options.port ?? 0, 'local S3', undefined, error);
  }
  server.httpServer = httpServer;
  const { port } = httpServer.address() as AddressInfo;
  if (log) {
    httpServer.on('request', (req, res) => {
      res.once('finish', () => log(`${req.method} ${req.url} ${res.statusCode}`));
    });
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopped = true;
      // Node drops idle keep-alive sockets on close(), but a response the client never reads (an unconsumed
      // GetObject body) keeps its socket busy for good, so busy sockets are cut after a grace period.
      const closed = server.close();
      const deadline = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await closed;
      } finally {
        clearTimeout(deadline);
        if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
      }
    })());

  return { endpoint: `http://127.0.0.1:${port}`, port, stop };
}

async function deliver(server: S3rver, event: S3rverEvent, onEvent: NonNullable<S3LocalOptions['onEvent']>) {
  const Records = await Promise.all(event.Records.map((record) => toS3EventRecord(server, record)));
  await onEvent({ Records });
}

/**
 * Makes s3rver's record look like the one AWS sends: a real bucket ARN, the key URL-encoded,
 * and the eTag s3rver leaves out of copies. Deletes carry no size or eTag on AWS either,
 * even though the aws-lambda type declares them.
 */
async function toS3EventRecord(server: S3rver, record: S3rverEventRecord): Promise<S3EventRecord> {
  const { bucket, object } = record.s3;
  let eTag = object.eTag;
  if (eTag === undefined && record.eventName.startsWith('ObjectCreated:')) {
    const metadata = await server.store.getMetadata(bucket.name, object.key).catch(() => undefined);
    eTag = metadata?.etag?.replaceAll('"', '');
  }
  return {
    ...record,
    s3: {
      ...record.s3,
      bucket: { ...bucket, arn: `arn:aws:s3:::${bucket.name}` },
      object: { ...object, key: encodeS3EventKey(object.key), eTag } as S3EventRecord['s3']['object'],
    },
  };
}

/** S3 event keys are form-encoded (space as '+', '(' as '%28') with '/' left as is. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key)
    .replaceAll('%20', '+')
    .replaceAll('%2F', '/')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
