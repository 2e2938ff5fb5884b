import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTemporaryFolder } from '../helpers/database.js';
import { spawnService, waitFor } from '../helpers/process.js';

const mainFile = new URL('../../src/main.js', import.meta.url).pathname;

/** Runs the service until it exits by itself; answers its exit code and what it logged. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [mainFile], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  return { code, output };
}

test('an invalid setting stops the start with one clear line and exit code 2', async () => {
  const { code, output } = await runUntilExit({ EXECUTOR: 'threads' });
  assert.equal(code, 2);
  assert.match(output, /invalid configuration: EXECUTOR must be \\"workers\\" or \\"inline\\"/);
  assert.doesNotMatch(output, /at .*\.js:\d+/, 'no stack trace for a configuration mistake');
});

for (const executor of ['workers', 'inline']) {
  test(`a file that is not a database fails the start with its reason (${executor})`, async (t) => {
    const path = join(createTemporaryFolder(t), 'not-a-database.db');
    writeFileSync(path, 'this is not SQLite');
    const { code, output } = await runUntilExit({ DATABASE_URL: `file:${path}`, EXECUTOR: executor });
    assert.equal(code, 1);
    assert.match(output, /could not start: .*file is not a database/);
  });
}

test('a PostgreSQL server that cannot be reached fails the start with its reason and no password', async () => {
  const { code, output } = await runUntilExit({ DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/clients' });
  assert.equal(code, 1);
  assert.match(output, /could not start: postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/clients: .*ECONNREFUSED/);
  assert.doesNotMatch(output, /secret/);
});

test('a second start reuses the embedded database it created', async (t) => {
  const url = `file:${join(createTemporaryFolder(t), 'clients.db')}`;
  const first = await spawnService(t, { DATABASE_URL: url, SEED_CLIENTS: '50' });
  await waitFor(async () => (await fetch(`${first.url}/readyz`)).ok, 30_000);
  first.child.kill('SIGTERM');
  assert.deepEqual(await once(first.child, 'exit'), [0, null], 'SIGTERM exits 0');
  assert.ok(first.lines.some((line) => line.includes('creating the embedded database')));

  const second = await spawnService(t, { DATABASE_URL: url, SEED_CLIENTS: '999' });
  await waitFor(async () => (await fetch(`${second.url}/readyz`)).ok, 30_000);
  assert.ok(!second.lines.some((line) => line.includes('creating the embedded database')));
  const reply = await fetch(`${second.url}/graphql?query=${encodeURIComponent('{ clients { totalCount } }')}`);
  assert.deepEqual((await reply.json()).data, { clients: { totalCount: 50 } });
});
