import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { AuthConfig } from '../config.js';
import { errorCodes } from '../errors.js';
import type { Logger } from '../logger.js';
import { clientAddress, isInternalCall, setCaller } from './caller.js';
import { createTokenVerifier } from './jwt-verifier.js';
import { markRejected, recordOf } from './request-record.js';

export interface AuthenticationOptions {
  auth: AuthConfig;
  /** `TRUST_PROXY_HOPS`: how the caller's address is found (`AUTH=none`). */
  trustProxyHops: number;
  logger: Logger;
}

/**
 * Finds out who calls before the request body is parsed. `AUTH=jwt`: a valid bearer token or
 * 401 `UNAUTHENTICATED` (its subject goes into the request log); `AUTH=none`: the client
 * address. GraphiQL's page is served before this runs (it needs no token; its requests do),
 * and probes and /metrics never reach yoga.
 */
export function useAuthentication({ auth, trustProxyHops, logger }: AuthenticationOptions): Plugin {
  const verify = auth.mode === 'jwt' ? createTokenVerifier(auth) : undefined;
  return {
    async onRequestParse({ request, serverContext }) {
      if (isInternalCall(serverContext)) return;
      const nodeRequest = (serverContext as { req?: IncomingMessage }).req;
      if (!verify) {
        setCaller(serverContext, { budgetKey: `address:${clientAddress(nodeRequest, trustProxyHops)}` });
        return;
      }
      const verification = await verify(request.headers.get('authorization'));
      if ('subject' in verification) {
        setCaller(serverContext, { budgetKey: `subject:${verification.subject}`, subject: verification.subject });
        const record = recordOf(serverContext);
        if (record) record.subject = verification.subject;
        return;
      }
      const { error } = verification;
      if (error.extensions.code === errorCodes.UNAUTHENTICATED) markRejected(serverContext, 'UNAUTHENTICATED');
      else logger.warn({ err: error.cause }, 'cannot fetch the JWT signing keys');
      throw error;
    },
  };
}
