// The part of s3rver 3.7.1 (untyped CommonJS) that local/engines/s3-local.ts uses.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { Server } from 'node:http';

  export interface S3rverOptions {
    directory?: string;
    silent?: boolean;
    /** false: path-style addressing only. */
    vhostBuckets?: boolean;
  }

  /** What s3rver emits for Put/Post/Copy/Delete: an S3 event with one record, not quite as AWS writes it. */
  export interface S3rverEvent {
    Records: S3rverEventRecord[];
  }

  export interface S3rverEventRecord {
    eventVersion: string;
    eventSource: string;
    awsRegion: string;
    eventTime: string;
    eventName: string;
    userIdentity: { principalId: string };
    requestParameters: { sourceIPAddress: string };
    responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
    s3: {
      s3SchemaVersion: string;
      configurationId: string;
      bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
      /** The key is not URL-encoded; size is absent on deletes, eTag on deletes and copies. */
      object: { key: string; size?: number; eTag?: string; sequencer: string };
    };
  }

  export default class S3rver extends EventEmitter {
    constructor(options?: S3rverOptions);
    /** close() closes this server; run() sets it, callers of listen() must. */
    httpServer?: Server;
    /** The filesystem store; getMetadata rejects when the object does not exist. */
    store: { getMetadata(bucket: string, key: string): Promise<Record<string, string>> };
    /** A winston logger; `silent` mutes it entirely. */
    logger: { silent: boolean };
    /** The Koa request handler, for serving s3rver from an http.Server of our own. */
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
    /** With a callback: creates the http.Server, starts listening and returns it at once. */
    listen(port: number, host: string, callback: () => void): Server;
    close(): Promise<void>;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
