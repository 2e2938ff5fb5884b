import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 3000);
const bigPage = `{ clients(first: 3000) { edges { cursor node { id str1 str2 str3 str4 address { id str1 str2 }
  bankAccounts { edges { node { id str1 str2 str3 address { str1 } } } } } } } }`;
const smallPage = '{ clients(first: 20) { edges { node { id str1 address { str1 } } } } }';

/** Sends 3 large operations, then a small one; answers the order in which they finished. */
async function finishingOrder(server: TestServer): Promise<string[]> {
  const order: string[] = [];
  const large = [0, 1, 2].map(() => server.graphql(bigPage).then((reply) => order.push(`large ${reply.status}`)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const small = server.graphql(smallPage).then((reply) => order.push(`small ${reply.status}`));
  await Promise.all([...large, small]);
  return order;
}

const env = { DATABASE_URL: database.url, MAX_PAGE_SIZE: '3000', WORKERS: '1' };

test('a small page runs in its own lane while exports occupy every large-lane worker', async () => {
  const server = await startTestServer({ after }, { ...env, SMALL_LANE_WORKERS: '1' });
  const order = await finishingOrder(server);
  assert.equal(order[0], 'small 200', order.join(', '));
});

test('without the small lane, the same small page waits behind them (the blocking the lane removes)', async () => {
  const server = await startTestServer({ after }, { ...env, SMALL_LANE_WORKERS: '0' });
  const order = await finishingOrder(server);
  assert.notEqual(order[0], 'small 200', order.join(', '));
});

test('small pages also take an idle large-lane worker when the small lane is busy', async () => {
  const server = await startTestServer({ after }, { ...env, SMALL_LANE_WORKERS: '1' });
  const before = await scrape(server.url);
  const replies = await Promise.all(Array.from({ length: 8 }, () => server.graphql(smallPage)));
  assert.deepEqual(new Set(replies.map((reply) => reply.status)), new Set([200]));
  const done = await scrape(server.url);
  const ran = (lane: string) => growth(before, done, `worker_pool_run_seconds_count{lane="${lane}"}`);
  assert.equal(ran('small') + ran('large'), 8);
  assert.ok(ran('large') >= 1 && ran('small') >= 1, `small ${ran('small')}, large ${ran('large')}`);
});
