import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createTestDatabase } from '../helpers/database.js';
import { scrape, seriesValue } from '../helpers/metrics.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { type GraphQLReply, postGraphQL, startTestServer } from '../helpers/server.js';
import { audience, issuer, startKeyServer, strangerKey } from '../helpers/tokens.js';

const database = createTestDatabase({ after }, 10);
const keys = await startKeyServer({ after });
const cooldownMs = 1_500;
const service = await spawnService(
  { after },
  {
    DATABASE_URL: database.url,
    AUTH: 'jwt',
    JWT_JWKS_URL: keys.url,
    JWT_ISSUER: issuer,
    JWT_AUDIENCE: audience,
    JWT_JWKS_COOLDOWN_MS: String(cooldownMs),
  },
);
await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);

const query = '{ clients(first: 2) { edges { node { databaseId } } } }';
const call = (token?: string, authorization = `Bearer ${token}`) =>
  postGraphQL(service.url, query, undefined, token === undefined ? {} : { authorization });
const now = () => Math.floor(Date.now() / 1000);

function assertRefused(reply: GraphQLReply, message: RegExp, challenge: RegExp = /error="invalid_token"/): void {
  assert.equal(reply.status, 401, reply.text);
  assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer realm="clients-query-service"/);
  assert.match(reply.headers.get('www-authenticate') ?? '', challenge);
  assert.equal(reply.json.errors.length, 1);
  assert.equal(reply.json.errors[0].extensions.code, 'UNAUTHENTICATED');
  assert.match(reply.json.errors[0].message, message);
  assert.equal(reply.json.data, undefined);
  assert.equal(reply.json.extensions.cost.actual, 0, 'refusals name the cost too');
  assert.doesNotMatch(reply.text, /kid|jwks|key|stack|at \//i, 'nothing about keys or internals');
}

test('a valid token is served; its subject goes into the request log; the default budget applies', async () => {
  const reply = await call(await keys.sign('alice'));
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.json.data.clients.edges.length, 2);
  assert.deepEqual(reply.json.extensions.cost, {
    requested: 2,
    actual: 2,
    limit: 30300,
    remaining: 303000 - 2,
    restorePerSecond: 30300,
  });
  await waitFor(async () => service.lines.some((line) => line.includes('"subject":"alice"')), 5_000);
  const line = JSON.parse(service.lines.find((entry) => entry.includes('"subject":"alice"')) ?? '{}');
  assert.equal(line.msg, 'request');
  assert.equal(line.cost, 2);
});

test('no token, or an Authorization header that is not a bearer token: 401 UNAUTHENTICATED', async () => {
  const missing = await call();
  assertRefused(missing, /needs a bearer token/, /^Bearer realm="clients-query-service"$/);
  assertRefused(await call('', 'Basic YWxpY2U6c2VjcmV0'), /must be "Bearer <token>"/, /error="invalid_request"/);
  assertRefused(await call('', 'Bearer'), /must be "Bearer <token>"/, /error="invalid_request"/);
  assertRefused(await call('not-a-jwt'), /not valid/);
  assertRefused(await call('e30.e30.e30'), /not valid/);
});

test('expired, not yet valid, wrong issuer, wrong audience, no subject: 401 saying which', async () => {
  assertRefused(await call(await keys.sign('alice', { exp: now() - 60 })), /expired/);
  assertRefused(await call(await keys.sign('alice', { nbf: now() + 60 })), /not valid yet/);
  assertRefused(await call(await keys.sign('alice', { iss: 'https://other.test' })), /issuer/);
  assertRefused(await call(await keys.sign('alice', { aud: 'another-api' })), /audience/);
  assertRefused(await call(await keys.sign('alice', { sub: undefined })), /subject/);
  // Within the clock tolerance (5 s) a token just past its expiry still passes.
  assert.equal((await call(await keys.sign('alice', { exp: now() - 1 }))).status, 200);
});

test('alg none, an HS256 token keyed with the RSA public key, and an unknown key are refused', async () => {
  const claims = { sub: 'mallory', iss: issuer, aud: audience, exp: now() + 60 };
  assertRefused(await call(new UnsecuredJWT(claims).encode()), /not valid/);
  const confused = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(keys.publicPem()));
  assertRefused(await call(confused), /not valid/);
  const stranger = await strangerKey();
  const before = keys.fetches();
  const started = Date.now();
  // Unknown kids refetch the keys at most once per cooldown, however many arrive.
  for (let attempt = 0; attempt < 10; attempt += 1) {
    assertRefused(await call(await keys.sign('mallory', {}, { kid: `forged-${attempt}`, key: stranger })), /not valid/);
  }
  const allowed = 1 + Math.floor((Date.now() - started) / cooldownMs);
  assert.ok(keys.fetches() - before <= allowed, `${keys.fetches() - before} fetches for 10 unknown kids`);
});

test('a key rotation while running: tokens signed with the new key pass once the cooldown allows a refetch', async () => {
  const old = await keys.sign('alice');
  await keys.rotate();
  await new Promise((resolve) => setTimeout(resolve, cooldownMs + 200));
  const fresh = await call(await keys.sign('bob'));
  assert.equal(fresh.status, 200, fresh.text);
  assert.equal((await call(old)).status, 200, 'the old key stays valid while it is published');
});

test('probes, /metrics and the GraphiQL page never ask for a token; rejections are counted', async () => {
  for (const path of ['/.well-known/live', '/.well-known/ready', '/livez', '/readyz', '/metrics']) {
    assert.equal((await fetch(`${service.url}${path}`)).status, 200, path);
  }
  const page = await fetch(`${service.url}/graphql`, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /GraphiQL/);
  const metrics = await scrape(service.url);
  assert.ok(seriesValue(metrics, 'graphql_operations_rejected_total{reason="UNAUTHENTICATED"}') >= 10);
  assert.ok(seriesValue(metrics, 'graphql_cost_spent_total') >= 2);
});

test('JWT_SECRET: HS256 tokens with the secret pass, RS256 ones do not; keys that cannot be fetched are 503', async (t) => {
  const secret = 'a-development-secret-of-32-chars!';
  const hs = await startTestServer(t, { DATABASE_URL: database.url, AUTH: 'jwt', JWT_SECRET: secret });
  const token = await new SignJWT({ sub: 'dev' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1m')
    .sign(new TextEncoder().encode(secret));
  assert.equal((await hs.graphql(query, undefined, { authorization: `Bearer ${token}` })).status, 200);
  const rs = await hs.graphql(query, undefined, { authorization: `Bearer ${await keys.sign('alice')}` });
  assert.equal(rs.status, 401);

  const unreachable = await startTestServer(t, {
    DATABASE_URL: database.url,
    AUTH: 'jwt',
    JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
  });
  const reply = await unreachable.graphql(query, undefined, { authorization: `Bearer ${await keys.sign('alice')}` });
  assert.equal(reply.status, 503, reply.text);
  assert.equal(reply.json.errors[0].extensions.code, 'UNAVAILABLE');
  assert.ok(reply.headers.get('retry-after'));
});
