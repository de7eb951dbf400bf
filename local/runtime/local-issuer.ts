import { createHmac, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { z } from 'zod';
import type { DevTokenRequest } from '#shared/contract/schemas';
import { flattenedClaims } from '#shared/http/principal';

export const LOCAL_ISSUER = 'https://local.street-rescue/issuer';
export const LOCAL_AUDIENCE = 'street-rescue-local-client';
const DEFAULT_TOKEN_SECONDS = 12 * 3600;
const ALGORITHM = 'RS256';
type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Stands in for Cognito locally: signs ID-token-shaped JWTs (cognito:groups, custom:teamId ...) with a key kept
 * under DATA_DIR, so tokens stay valid across restarts, and verifies them as the API Gateway JWT authorizer would.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: SigningKey, private readonly publicKey: SigningKey, readonly publicJwk: JWK, private readonly privateJwk: JWK,
  ) {}

  /** With a data directory the key is kept there; without one it lives only as long as the process. */
  static async open(dataDir?: string): Promise<LocalIssuer> {
    const file = dataDir ? path.join(dataDir, 'local-issuer-key.json') : undefined;
    let jwk = file ? await readFile(file, 'utf8').then((text) => JSON.parse(text) as JWK, () => undefined) : undefined;
    if (!jwk) {
      const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
      jwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now()}`, alg: ALGORITHM, use: 'sig' };
      if (dataDir && file) {
        await mkdir(dataDir, { recursive: true });
        await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
      }
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
    return new LocalIssuer(
      await importJWK(jwk, ALGORITHM),
      await importJWK(publicJwk, ALGORITHM),
      publicJwk,
      jwk,
    );
  }

  /**
   * A secret for another local purpose (sealing cursors), derived from the issuer's key: kept in the same file under
   * the data directory, so it outlives a restart as the tokens do.
   */
  secretFor(purpose: string): string {
    return createHmac('sha256', String(this.privateJwk.d)).update(purpose).digest('base64url');
  }

  async issue(request: z.output<typeof DevTokenRequest>, now = new Date()): Promise<string> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const claims: JWTPayload = {
      'cognito:groups': [request.role],
      token_use: 'id',
      ...(request.name ? { name: request.name } : {}),
      ...(request.teamId ? { 'custom:teamId': request.teamId } : {}),
      ...(request.stationId ? { 'custom:stationId': request.stationId } : {}),
      ...(request.deviceId ? { 'custom:deviceId': request.deviceId } : {}),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid: this.publicJwk.kid!, typ: 'JWT' })
      .setSubject(request.sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (request.expiresInSeconds ?? DEFAULT_TOKEN_SECONDS))
      .sign(this.privateKey);
  }

  /**
   * An access token as Cognito's token endpoint answers the client-credentials grant: no audience, the client as
   * subject and `client_id`, the granted scopes space-separated. Only a Lambda authorizer takes these (the JWT
   * authorizer's audience list, like verify below, refuses them).
   */
  async issueAccess(clientId: string, scopes: readonly string[], seconds: number, now = new Date()): Promise<string> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    return new SignJWT({ token_use: 'access', client_id: clientId, scope: scopes.join(' '), version: 2 })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.publicJwk.kid!, typ: 'JWT' })
      .setSubject(clientId)
      .setIssuer(LOCAL_ISSUER)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + seconds)
      .sign(this.privateKey);
  }

  /**
   * Verifies signature, issuer, audience and expiry, and returns the claims as API Gateway hands them to a
   * function: every value a string, arrays flattened to "[a b]".
   */
  async verify(authorization: string | undefined): Promise<Record<string, string> | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    try {
      const { payload } = await jwtVerify(match[1]!, this.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALGORITHM] });
      return flattenedClaims(payload);
    } catch {
      return undefined;
    }
  }
}
