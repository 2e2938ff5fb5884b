import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { clientExistsBeyondStatement, clientPageStatements } from '../../src/data/client-queries.js';
import { type ClientKey, type ClientPageQuery, clientOrders } from '../../src/data/data-source.js';
import { parseDatabaseUrl } from '../../src/data/open-data-source.js';
import { postgresDialect } from '../../src/data/postgres.js';
import type { Statement } from '../../src/data/queries.js';
import { sqliteDialect } from '../../src/data/sqlite.js';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';

type Explain = (statement: Statement) => Promise<string[]>;

/**
 * SQLite: the plan's lines; a sort shows as "USE TEMP B-TREE". (A bare "SCAN clients" under
 * ORDER BY id is the table read in rowid order, stopped by LIMIT: no sort.)
 */
function explainSqlite(path: string): Explain {
  return async ({ sql, params }) => {
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      return rows.map((row) => row.detail);
    } finally {
      db.close();
    }
  };
}

/** PostgreSQL: every node of the JSON plan as "Node Type on relation". */
function explainPostgres(url: string): Explain {
  return async ({ sql, params }) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const nodes: string[] = [];
      const visit = (node: { 'Node Type': string; 'Relation Name'?: string; Plans?: unknown[] }) => {
        nodes.push(`${node['Node Type']} on ${node['Relation Name'] ?? '-'}`);
        for (const child of node.Plans ?? []) visit(child as typeof node);
      };
      visit(result.rows[0]['QUERY PLAN'][0].Plan);
      return nodes;
    } finally {
      await client.end();
    }
  };
}

// A sort of the table's rows, or a sequential scan that may read most of it before the LIMIT.
const fullSort = /TEMP B-TREE|^Sort|^Incremental Sort|^Seq Scan on clients/;

describeEachBackend('query plans: no ordering sorts or scans the whole table', (backend) => {
  const cleanup = createSuiteCleanup();
  let explain: Explain;
  const dialect = backend === 'sqlite' ? sqliteDialect : postgresDialect;

  before(async () => {
    // Enough rows that PostgreSQL's planner prefers an index over sorting a small table.
    const database = await createBackendDatabase(cleanup, backend, 20_000);
    const location = parseDatabaseUrl(database.url);
    explain = location.kind === 'sqlite' ? explainSqlite(location.path) : explainPostgres(location.url);
  });

  for (const order of clientOrders) {
    const keys: [string, ClientKey | undefined][] = order.startsWith('ID')
      ? [
          ['no cursor', undefined],
          ['a cursor', { id: 10_000 }],
        ]
      : [
          ['no cursor', undefined],
          ['a cursor', { value: 'M', id: 10_000 }],
          ['a cursor on a null', { value: null, id: 10_000 }],
        ];
    for (const [name, key] of keys) {
      test(`${order} with ${name}, forward and backward`, async () => {
        for (const fromEnd of [false, true]) {
          const query: ClientPageQuery = { order, filter: {}, limit: 20, fromEnd };
          if (key) query[fromEnd ? 'before' : 'after'] = key;
          const statements = clientPageStatements(dialect, query).map((statement) => statement(21));
          if (key) statements.push(clientExistsBeyondStatement(dialect, order, {}, key, fromEnd ? 'after' : 'before'));
          for (const statement of statements) {
            const plan = await explain(statement);
            assert.ok(!plan.some((line) => fullSort.test(line)), `${statement.sql}\n${plan.join('\n')}`);
          }
        }
      });
    }
  }
});
