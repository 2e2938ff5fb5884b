import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SignJWT } from 'jose';
import { createTestDatabase } from '../helpers/database.js';
import { scrape, seriesValue } from '../helpers/metrics.js';
import { type ServiceProcess, spawnService, waitFor } from '../helpers/process.js';
import { skipWithoutRedis, startTestRedis, type TestRedis } from '../helpers/redis.js';
import { postGraphQL } from '../helpers/server.js';

if (skipWithoutRedis) process.stdout.write(`# ${skipWithoutRedis}\n`);

const secret = 'a-development-secret-of-32-chars!';
const token = (subject: string) =>
  new SignJWT({ sub: subject })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
const page = (size: number) => `{ clients(first: ${size}) { edges { node { id } } } }`;
const spend = async (replica: ServiceProcess, subject: string, size: number) =>
  postGraphQL(replica.url, page(size), undefined, { authorization: `Bearer ${await token(subject)}` });
const shared = async (replica: ServiceProcess) => seriesValue(await scrape(replica.url), 'cost_budget_shared');

// Started for the whole file (hooks registered inside a test would stop them when it ends).
async function start(): Promise<{ redis: TestRedis; replicas: ServiceProcess[] }> {
  const redis = await startTestRedis({ after });
  const database = createTestDatabase({ after }, 60);
  // A bucket of 100 points per subject, refilled whole 2 s after its first spend.
  const env = {
    DATABASE_URL: database.url,
    AUTH: 'jwt',
    JWT_SECRET: secret,
    MAX_COST: '100',
    COST_BUDGET: '100',
    COST_RESTORE_PER_SECOND: '50',
    REDIS_URL: redis.url,
  };
  const replicas = await Promise.all([spawnService({ after }, env), spawnService({ after }, env)]);
  for (const replica of replicas) {
    await waitFor(async () => (await fetch(`${replica.url}/readyz`)).ok, 20_000);
    await waitFor(async () => (await shared(replica)) === 1, 10_000);
  }
  return { redis, replicas };
}

const { redis, replicas } = skipWithoutRedis ? { redis: undefined, replicas: [] } : await start();

test('two replicas spend from the same buckets in Redis', { skip: skipWithoutRedis }, async () => {
  const [a, b] = replicas as [ServiceProcess, ServiceProcess];
  assert.equal((await spend(a, 'alice', 80)).json.extensions.cost.remaining, 20);
  const refused = await spend(b, 'alice', 40);
  assert.equal(refused.status, 429, 'spent on one replica, refused on the other');
  assert.equal(refused.json.errors[0].extensions.code, 'RATE_LIMITED');
  const bob = await spend(b, 'bob', 40);
  assert.equal(bob.status, 200, 'another caller is unaffected');
  assert.equal(bob.json.extensions.cost.remaining, 60);

  await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000));
  const refilled = await spend(b, 'alice', 40);
  assert.equal(refilled.status, 200, 'the bucket refills');
  assert.equal(refilled.json.extensions.cost.remaining, 60);
  assert.equal((await spend(a, 'alice', 40)).json.extensions.cost.remaining, 20, 'and both replicas see it');
});

test('Redis stopped: replicas keep serving (fail open) with buckets of their own, and share again when it is back', {
  skip: skipWithoutRedis,
}, async () => {
  const [a, b] = replicas as [ServiceProcess, ServiceProcess];
  assert.ok(redis);
  await redis.stop();
  for (const replica of replicas) await waitFor(async () => (await shared(replica)) === 0, 10_000);
  for (const replica of replicas) {
    assert.equal((await fetch(`${replica.url}/readyz`)).status, 200, 'readiness: the replica still serves');
  }
  // Each process now grants its own bucket: carol spends 100 on each, and is refused by each after that.
  for (const replica of [a, b]) {
    const reply = await spend(replica, 'carol', 100);
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.extensions.cost.remaining, 0);
    assert.equal((await spend(replica, 'carol', 1)).status, 429, 'budgets still apply within a process');
  }
  const logs = a.lines.join('\n');
  assert.match(logs, /Redis unreachable: each process keeps its own cost budgets/);

  await redis.start();
  for (const replica of replicas) await waitFor(async () => (await shared(replica)) === 1, 15_000);
  assert.equal((await spend(a, 'dave', 70)).json.extensions.cost.remaining, 30);
  assert.equal((await spend(b, 'dave', 70)).status, 429, 'shared again');
});
