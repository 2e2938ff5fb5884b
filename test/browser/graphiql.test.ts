import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SignJWT } from 'jose';
import { type Browser, chromium } from 'playwright-core';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const skip = hasChromium
  ? false
  : `SKIPPED: ${chromiumPath} is missing (apt-get install -y chromium); GraphiQL not checked`;
if (!hasChromium) process.stdout.write(`# ${skip}\n`);

const query = '{ clients(first: 2) { totalCount edges { node { databaseId address { databaseId } } } } }';

async function launch(t: { after(fn: () => unknown): void }): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.after(() => browser.close());
  return browser;
}

test('GraphiQL loads with no request leaving localhost and runs a query that shows data', { skip }, async (t) => {
  const server = await startTestServer({ after }, { DATABASE_URL: createTestDatabase({ after }, 12).url });
  const browser = await launch(t);
  const page = await browser.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));

  const response = await page.goto(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
  assert.equal(response?.status(), 200);
  assert.match(response?.headers()['content-type'] ?? '', /text\/html/);
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.result-window');
  await result.getByText('"totalCount": 12').waitFor({ timeout: 20_000 });
  assert.match((await result.textContent()) ?? '', /"databaseId":\s+2,\s+"address"/);
  // The response viewer shows extensions: the cost the query was charged and what it returned.
  assert.match((await result.textContent()) ?? '', /"cost":\s*\{\s*"requested":\s*5,\s*"actual":\s*4,/);

  const screenshots = join(tmpdir(), 'clients-graphiql');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'graphiql.png') });

  const offsite = requested.filter((url) => !url.startsWith(server.url) && !/^(data|blob):/.test(url));
  assert.deepEqual(offsite, [], 'GraphiQL must not load anything from outside this server');
  assert.ok(
    requested.some((url) => url.startsWith(`${server.url}/graphql`) && url !== requested[0]),
    'ran a query',
  );
});

test('with AUTH=jwt, GraphiQL loads without a token and runs queries with one from its headers tab', {
  skip,
}, async (t) => {
  const secret = 'a-development-secret-of-32-chars!';
  const server = await startTestServer(t, {
    DATABASE_URL: createTestDatabase(t, 12).url,
    AUTH: 'jwt',
    JWT_SECRET: secret,
  });
  const token = await new SignJWT({ sub: 'graphiql-user' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
  // Tall enough that the result editor, which renders only its visible lines, shows the whole
  // response below the open headers tab (at the default 720 px it stopped before "remaining").
  const page = await (await launch(t)).newPage({ viewport: { width: 1280, height: 1600 } });
  const response = await page.goto(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
  assert.equal(response?.status(), 200);
  const result = page.locator('.result-window');
  await page.locator('.graphiql-execute-button').click();
  await result.getByText('UNAUTHENTICATED').waitFor({ timeout: 20_000 });

  await page.getByRole('button', { name: 'Headers' }).click();
  const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
  await headers.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
  await page.locator('.graphiql-execute-button').click();
  await result.getByText('"totalCount": 12').waitFor({ timeout: 20_000 });
  assert.match((await result.textContent()) ?? '', /"remaining":/);
  await page.screenshot({ path: join(tmpdir(), 'clients-graphiql', 'graphiql-jwt.png') });
});
