import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

// graphql-http is pinned to an exact version in package.json: its audits are the GraphQL-over-HTTP
// spec's own checks. Every one passes, the MAY audits included (docs/testing.md says so: a MAY left
// out would be listed there and skipped here by id).
const server = await startTestServer({ after }, { DATABASE_URL: createTestDatabase({ after }, 5).url });

for (const audit of serverAudits({ url: `${server.url}/graphql` })) {
  test(`graphql-http audit ${audit.id}: ${audit.name}`, async () => {
    const result = await audit.fn();
    assert.equal(result.status, 'ok', result.status === 'ok' ? '' : result.reason);
  });
}
