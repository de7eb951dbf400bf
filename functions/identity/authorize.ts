import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { dynamoDocumentClient } from '#shared/adapters/aws-clients';
import { logger, observed } from '#shared/adapters/observability';
import { settings } from '#shared/settings';
import { DirectoryStore } from '#shared/store/directory-store';
import { authorizeCaller, type CallerCheck } from '#shared/use-cases/authorize-caller';

/**
 * Built at the first call, not at load: locally the runtime sets the issuer's variables once it listens (and again
 * after a restart, hence the key). In the cloud the pool's key set is fetched once and kept (jose fetches it again
 * for a key id it has not seen: a rotated signing key); locally the issuer hands its key set over in TOKEN_JWKS.
 */
let check: { key: string; value: CallerCheck } | undefined;
function callerCheck(): CallerCheck {
  const { tokenIssuer: issuer, tokenJwks, memberClientIds } = settings;
  const key = [issuer, tokenJwks, memberClientIds.join(',')].join('|');
  if (check?.key === key) return check.value;
  const keys = tokenJwks ? createLocalJWKSet(JSON.parse(tokenJwks) as JSONWebKeySet) : createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const value: CallerCheck = {
    verify: async (token) => {
      try {
        return (await jwtVerify(token, keys, { issuer, algorithms: ['RS256'] })).payload;
      } catch {
        return undefined;
      }
    },
    memberAudiences: memberClientIds,
    directory: new DirectoryStore(dynamoDocumentClient(), settings.tableName),
  };
  check = { key, value };
  return value;
}

/** The HTTP API's Lambda authorizer (simple responses, no caching) for the routes devices call: authorize-caller.ts. */
export const handler = middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>>()
  .use(observed())
  .handler(async (event) => {
    const decision = await authorizeCaller(callerCheck(), { authorization: event.headers?.authorization ?? event.identitySource?.[0], routeKey: event.routeKey });
    if (!decision.isAuthorized) {
      logger.info('caller refused', { routeKey: event.routeKey, reason: decision.reason });
      return { isAuthorized: false, context: {} };
    }
    return decision;
  });
