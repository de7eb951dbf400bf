import * as z from 'zod';
import { CityShown } from './city';

/**
 * GET /config.json: what the pages need to know about the deployment they are served by. The local runtime
 * answers it from its environment; in the cloud it is written next to the pages by the CDK app.
 */
export const WebConfig = z.object({
  auth: z.discriminatedUnion('mode', [
    /** The local runtime: a picker signs in as a demo member through POST /v1/dev/token. */
    z.object({ mode: z.literal('local') }),
    /** Cognito's managed sign-in page, authorization code with PKCE. */
    z.object({
      mode: z.literal('cognito'),
      region: z.string(),
      userPoolId: z.string(),
      clientId: z.string(),
      /** The managed sign-in domain, e.g. https://street-rescue-123.auth.cn-north-1.amazoncognito.com */
      domain: z.string().url(),
    }),
  ]),
  /** 'stream': the local runtime's Server-Sent Events (GET /v1/events/stream); 'poll': GET /v1/events every few seconds. */
  live: z.enum(['stream', 'poll']),
  /** The base URL of the API; empty when it is served from the same origin as the pages. */
  apiBase: z.string().default(''),
  /** Metres from a case beyond which the phone asks before recording an arrival (the server's ARRIVAL_CHECK_M). */
  arrivalCheckM: z.number().positive().default(300),
  map: z.object({
    /** A raster tile URL template ({z}/{x}/{y}, {s}); without one the map draws the bundled city outline only. */
    tileUrl: z.string().optional(),
    /** The datum of the tiles: Chinese base maps (AMap, Tencent) are GCJ-02; OpenStreetMap is WGS-84. */
    tileCrs: z.enum(['gcj02', 'wgs84']).default('gcj02'),
    attribution: z.string().optional(),
  }).default({ tileCrs: 'gcj02' }),
  /** The city served (config/cities/<city>.json, named by context `city`): where the map opens, districts, outline. */
  city: CityShown,
});
export type WebConfig = z.output<typeof WebConfig>;
