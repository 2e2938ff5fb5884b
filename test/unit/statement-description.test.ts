import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStatement } from '../../src/telemetry/statement-description.js';

test('a statement span is named by its operation and the table of its outermost FROM', () => {
  assert.equal(describeStatement('SELECT id, str1 FROM clients WHERE id > ? LIMIT ?').summary, 'SELECT clients');
  const planned =
    "SELECT id, (SELECT json_group_array(a.id) FROM accounts a WHERE a.client_id = clients.id), 'FROM x' " +
    'FROM clients WHERE id >= ? ORDER BY id LIMIT ? + 0';
  assert.equal(describeStatement(planned).summary, 'SELECT clients', 'subqueries and strings before it are skipped');
  const windowed = 'SELECT id FROM (SELECT id, ROW_NUMBER() OVER () AS rn FROM accounts) AS ranked WHERE rn <= ?';
  assert.equal(describeStatement(windowed).summary, 'SELECT accounts', 'a subquery in FROM: the table it reads');
  assert.equal(describeStatement('select 1').summary, 'SELECT');
});

test('a long statement keeps its beginning and its end, and says how much it left out', () => {
  const sql = `SELECT ${'x, '.repeat(2000)}id FROM clients WHERE id > ? LIMIT ?`;
  const { text } = describeStatement(sql);
  assert.ok(text.length < 2100, `${text.length} characters`);
  assert.ok(text.startsWith('SELECT x, x, '));
  assert.ok(text.endsWith('id FROM clients WHERE id > ? LIMIT ?'));
  assert.match(text, new RegExp(`/\\* ${sql.length - 2000} characters left out \\*/`));
  assert.equal(describeStatement('SELECT id FROM clients').text, 'SELECT id FROM clients');
});
