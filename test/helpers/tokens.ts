import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { Cleanup } from './cleanup.js';

export const issuer = 'https://issuer.test';
export const audience = 'clients-query-service';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

/** An identity provider for tests: a JWKS served over real HTTP, keys that rotate, tokens signed with them. */
export interface KeyServer {
  /** The JWKS URL (`JWT_JWKS_URL`). */
  url: string;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  /** Publishes a new key beside the current ones and signs with it from now on. */
  rotate(): Promise<void>;
  /** A token for `subject`, valid for a minute, signed with the current key; `claims` override any claim. */
  sign(subject: string, claims?: JWTPayload, options?: { kid?: string; key?: CryptoKey }): Promise<string>;
  /** The current key's public key in PEM (for forging an HS256 token with it). */
  publicPem(): string;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `key-${Math.random().toString(36).slice(2, 10)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export async function startKeyServer(t: Cleanup): Promise<KeyServer> {
  const keys = [await newKey()];
  let fetches = 0;
  const server = createServer((request, response) => {
    fetches += 1;
    if (request.url !== '/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const current = () => keys[keys.length - 1] as SigningKey;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    fetches: () => fetches,
    async rotate() {
      keys.push(await newKey());
    },
    async sign(subject, claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub: subject, iss: issuer, aud: audience, iat: now, exp: now + 60, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? current().kid })
        .sign(options.key ?? current().privateKey);
    },
    publicPem: () => current().publicPem,
  };
}

/** A fresh key pair that no key server publishes. */
export const strangerKey = async () => (await newKey()).privateKey;
