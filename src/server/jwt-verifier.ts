import type { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { JwtConfig } from '../config.js';
import { unauthenticated, unavailable } from '../errors.js';

/** What verifying an `Authorization` header came to: the caller's subject, or the error to answer with. */
export type Verification = { subject: string } | { error: GraphQLError };

const realm = 'Bearer realm="clients-query-service"';
// Asymmetric algorithms only with published keys: an HS256 token "signed" with a public key is refused.
const keySetAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clocks of the issuer and this service may differ by this much (`exp`, `nbf`). */
export const clockToleranceSeconds = 5;

/**
 * Verifies bearer tokens with `jose`: signature (keys from `JWT_JWKS_URL`, cached, fetched again
 * for an unknown `kid` at most once per cooldown; or the `JWT_SECRET` with HS256 only), `exp` and
 * `nbf` with a small tolerance, `iss` and `aud` when configured, and a `sub`. `alg: none` never
 * verifies. Messages say what is wrong with the token, never anything about keys.
 */
export function createTokenVerifier(config: JwtConfig): (authorization: string | null) => Promise<Verification> {
  const key: Uint8Array | JWTVerifyGetKey = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: config.jwksCooldownMs })
    : new TextEncoder().encode(config.secret);
  const options = {
    algorithms: config.jwksUrl ? keySetAlgorithms : ['HS256'],
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: clockToleranceSeconds,
    requiredClaims: ['sub'],
  };
  return async (authorization) => {
    if (!authorization) {
      return { error: unauthenticated('This API needs a bearer token: send "Authorization: Bearer <token>".', realm) };
    }
    const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      return { error: refused('invalid_request', 'The Authorization header must be "Bearer <token>".') };
    }
    try {
      const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, options);
      if (typeof payload.sub !== 'string' || payload.sub === '')
        return { error: invalidToken('The token has no subject (sub).') };
      return { subject: payload.sub };
    } catch (error) {
      return { error: verificationError(error) };
    }
  };
}

function verificationError(error: unknown): GraphQLError {
  if (error instanceof errors.JWTExpired) return invalidToken('The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return invalidToken('The token is not valid yet (nbf).');
    if (error.claim === 'iss') return invalidToken('The token was issued by an issuer this service does not accept.');
    if (error.claim === 'aud') return invalidToken('The token is meant for another audience.');
    if (error.claim === 'sub') return invalidToken('The token has no subject (sub).');
    return invalidToken('The token is not valid.');
  }
  // The key set could not be fetched or read: the token may be fine, so it is not the caller's fault.
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError) ||
    error.code === 'ERR_JOSE_GENERIC'
  ) {
    return unavailable('Tokens cannot be verified right now. Retry shortly.', 5, error);
  }
  return invalidToken('The token is not valid.');
}

const invalidToken = (message: string) => refused('invalid_token', message);

/** RFC 6750: the error code and a description (plain words, no quotes) in the challenge. */
const refused = (code: string, message: string) =>
  unauthenticated(message, `${realm}, error="${code}", error_description="${message.replaceAll('"', "'")}"`);
