import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalCors, LocalRoute } from '#local/template/local-model';
import { LOCAL_ACCOUNT } from '#local/template/intrinsics';
import type { LambdaHost } from './lambda-host';
import type { LocalIssuer } from './local-issuer';

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  params: string[];
}

const compile = (route: LocalRoute): CompiledRoute => {
  const params: string[] = [];
  const source = route.path.split('/').map((segment) => {
    const greedy = /^\{(\w+)\+\}$/.exec(segment);
    const param = /^\{(\w+)\}$/.exec(segment);
    if (greedy) { params.push(greedy[1]!); return '(.+)'; }
    if (param) { params.push(param[1]!); return '([^/]+)'; }
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), params };
};

/** A gateway-made error: problem details, with API Gateway's own `message` kept for clients written against it. */
function gatewayError(res: ServerResponse, status: number, message: string, detail: string) {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: message, status, detail, message }));
}

/**
 * Serves the HTTP API routes of the template the way API Gateway does: payload format 2.0 events, the JWT
 * authorizer's checks before the function runs, CORS preflight from the API's configuration.
 */
export class LocalApiGateway {
  private readonly routes: CompiledRoute[];

  constructor(routes: LocalRoute[], private readonly cors: LocalCors | undefined, private readonly lambdas: LambdaHost, private readonly issuer: LocalIssuer) {
    // Literal paths win over templated ones, as in API Gateway's route selection.
    this.routes = routes.map(compile).sort((a, b) => a.params.length - b.params.length);
  }

  /** Returns false when no route matches, so the caller can serve something else (pages, local-only endpoints). */
  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS' && this.cors && req.headers['access-control-request-method']) {
      this.preflight(req, res);
      return true;
    }
    const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return false;
    const route = candidates.find((r) => r.method === method || r.method === 'ANY');
    this.corsHeaders(req, res);
    if (!route) {
      gatewayError(res, 404, 'Not Found', `${method} is not allowed on ${url.pathname}`);
      return true;
    }
    if (body.length > MAX_PAYLOAD_BYTES) {
      gatewayError(res, 413, 'Request Entity Too Large', `the payload exceeds ${MAX_PAYLOAD_BYTES} bytes`);
      return true;
    }
    // One event per request: the authorizer sees what the function will (the same request id), less what it decides.
    const event = this.event(req, url, method, route, route.pattern.exec(url.pathname)!, body);
    if (route.authorization === 'CUSTOM') {
      const decision = await this.authorize(event, route, req.headers.authorization);
      if (decision === 'unauthorized') {
        gatewayError(res, 401, 'Unauthorized', 'send a bearer token in the Authorization header');
        return true;
      }
      if (decision === 'failed') {
        gatewayError(res, 500, 'Internal Server Error', 'the authorizer failed; see the server log');
        return true;
      }
      if (!decision.isAuthorized) {
        gatewayError(res, 403, 'Forbidden', 'the token is not valid for this route (expired, another client, a revoked device, or without the scope)');
        return true;
      }
      event.requestContext.authorizer = { lambda: decision.context ?? {} } as never;
    }
    if (route.authorization === 'JWT') {
      const claims = await this.issuer.verify(req.headers.authorization);
      if (!claims) {
        res.setHeader('www-authenticate', 'Bearer');
        gatewayError(res, 401, 'Unauthorized', 'send a valid, unexpired bearer token (local mode: POST /v1/dev/token)');
        return true;
      }
      event.requestContext.authorizer.jwt.claims = claims;
    }
    let result: unknown;
    try {
      result = await this.lambdas.invoke(route.functionArn, event);
    } catch (error) {
      // What API Gateway answers when the integration itself fails: the function crashed or timed out.
      console.error(`[api] ${method} ${url.pathname}: ${(error as Error).stack ?? error}`);
      gatewayError(res, 500, 'Internal Server Error', 'the function failed; see the server log');
      return true;
    }
    this.respond(res, result);
    return true;
  }

  /**
   * A route with a Lambda authorizer (payload 2.0, simple responses, no caching): without the identity source the
   * gateway answers 401 itself; otherwise the authorizer's `isAuthorized` decides, and its context reaches the function.
   */
  private async authorize(event: APIGatewayProxyEventV2WithJWTAuthorizer, route: CompiledRoute, authorization: string | undefined) {
    if (!authorization) return 'unauthorized' as const;
    const { requestContext, headers, routeKey, rawPath, rawQueryString, queryStringParameters, pathParameters } = event;
    const { authorizer: _none, ...context } = requestContext;
    const method = requestContext.http.method;
    try {
      const result = await this.lambdas.invoke(route.authorizerArn!, {
        version: '2.0', type: 'REQUEST', routeArn: `arn:aws:execute-api:local:${LOCAL_ACCOUNT}:local/$default/${method}${route.path}`,
        identitySource: [authorization], routeKey, rawPath, rawQueryString, headers,
        ...(queryStringParameters ? { queryStringParameters } : {}), ...(pathParameters ? { pathParameters } : {}),
        requestContext: context,
      }) as { isAuthorized?: unknown; context?: Record<string, unknown> } | undefined;
      return { isAuthorized: result?.isAuthorized === true, ...(result?.context ? { context: result.context } : {}) };
    } catch (error) {
      console.error(`[api] authorizer of ${method} ${rawPath}: ${(error as Error).stack ?? error}`);
      return 'failed' as const;
    }
  }

  private event(
    req: IncomingMessage, url: URL, method: string, route: CompiledRoute, match: RegExpExecArray, body: Buffer,
  ): APIGatewayProxyEventV2WithJWTAuthorizer {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
    const params = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    const textual = /json|text|xml|form-urlencoded/.test(headers['content-type'] ?? '') || body.length === 0;
    const now = new Date();
    const routeKey = `${route.method} ${route.path}`;
    return {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(req.headers.cookie ? { cookies: req.headers.cookie.split(';').map((c) => c.trim()) } : {}),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(route.params.length ? { pathParameters: params } : {}),
      requestContext: {
        accountId: LOCAL_ACCOUNT,
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: {}, scopes: [] } },
      },
      ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: !textual,
    } as APIGatewayProxyEventV2WithJWTAuthorizer;
  }

  /** Payload format 2.0: a structured result is used as is; anything else becomes a 200 JSON body. */
  private respond(res: ServerResponse, result: unknown) {
    const structured = result !== null && typeof result === 'object' && 'statusCode' in result;
    const r: APIGatewayProxyStructuredResultV2 = structured
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
    for (const [name, value] of Object.entries(r.headers ?? {})) res.setHeader(name, String(value));
    if (r.cookies?.length) res.setHeader('set-cookie', r.cookies);
    res.statusCode = r.statusCode ?? 200;
    res.end(r.body === undefined ? undefined : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body);
  }

  private allowedOrigin(origin: string | undefined): string | undefined {
    if (!origin || !this.cors) return undefined;
    if (this.cors.allowOrigins.includes('*')) return '*';
    return this.cors.allowOrigins.includes(origin) ? origin : undefined;
  }

  private corsHeaders(req: IncomingMessage, res: ServerResponse) {
    const origin = this.allowedOrigin(req.headers.origin);
    if (!origin) return;
    res.setHeader('access-control-allow-origin', origin);
    if (this.cors!.exposeHeaders.length) res.setHeader('access-control-expose-headers', this.cors!.exposeHeaders.join(','));
  }

  private preflight(req: IncomingMessage, res: ServerResponse) {
    const origin = this.allowedOrigin(req.headers.origin);
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', this.cors!.allowMethods.join(','));
      res.setHeader('access-control-allow-headers', this.cors!.allowHeaders.join(','));
      if (this.cors!.maxAge !== undefined) res.setHeader('access-control-max-age', String(this.cors!.maxAge));
    }
    res.statusCode = 204;
    res.end();
  }
}
