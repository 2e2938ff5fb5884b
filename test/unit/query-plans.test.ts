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

interface Plan {
  /** The plan's steps; a sort or a sequential scan of clients shows here. */
  steps: string[];
  /**
   * What the index (or rowid) seeks start from: SQLite, the values of the parameters loaded into
   * a seek's key; PostgreSQL, each index scan's Index Cond (with the values in it).
   */
  seeks: string[];
}

type Explain = (statement: Statement) => Promise<Plan>;

const seekOpcodes = new Set(['SeekGT', 'SeekGE', 'SeekLT', 'SeekLE', 'SeekRowid']);

interface Opcode {
  opcode: string;
  p1: number;
  p2: number;
  p3: number;
  p4: unknown;
}

/**
 * SQLite: the steps are EXPLAIN QUERY PLAN's lines (a sort shows as "USE TEMP B-TREE"; a bare
 * "SCAN clients" under ORDER BY id is the table read in rowid order, stopped by LIMIT). Its text
 * cannot tell a seek to the cursor from a seek past the nulls (both print `(str1>?)`), so the
 * seeks come from the bytecode: the parameters a Seek opcode's key registers are loaded from.
 */
function explainSqlite(path: string): Explain {
  return async ({ sql, params }) => {
    const db = new Database(path, { readonly: true });
    try {
      const steps = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
        (row) => row.detail,
      );
      const program = db.prepare(`EXPLAIN ${sql}`).all(...params) as Opcode[];
      const parameterOf = new Map<number, number>();
      for (const op of program) if (op.opcode === 'Variable') parameterOf.set(op.p2, op.p1);
      const seeks: string[] = [];
      for (const op of program.filter((op) => seekOpcodes.has(op.opcode))) {
        // P4 is the number of key registers of an index seek (text), none for a rowid seek.
        const registers = Math.max(1, Number(op.p4) || 0);
        for (let register = op.p3; register < op.p3 + registers; register++) {
          const parameter = parameterOf.get(register);
          if (parameter !== undefined) seeks.push(`${op.opcode} from ${JSON.stringify(params[parameter - 1])}`);
        }
      }
      return { steps, seeks };
    } finally {
      db.close();
    }
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** PostgreSQL: every node of the JSON plan as "Node Type on relation", and each Index Cond. */
function explainPostgres(url: string): Explain {
  return async ({ sql, params }) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const plan: Plan = { steps: [], seeks: [] };
      const visit = (node: PlanNode) => {
        plan.steps.push(`${node['Node Type']} on ${node['Relation Name'] ?? '-'}`);
        if (node['Index Cond']) plan.seeks.push(`${node['Node Type']}: ${node['Index Cond']}`);
        for (const child of node.Plans ?? []) visit(child);
      };
      visit(result.rows[0]['QUERY PLAN'][0].Plan);
      return plan;
    } finally {
      await client.end();
    }
  };
}

// A sort of the table's rows, or a sequential scan that may read most of it before the LIMIT.
const fullSort = /TEMP B-TREE|^Sort|^Incremental Sort|^Seq Scan on clients/;

/** Whether a seek starts from the cursor's key: its id, or its string value. */
const seeksToKey = (plan: Plan, key: ClientKey) =>
  plan.seeks.some((seek) => seek.includes(String(key.id)) || (key.value != null && seek.includes(key.value)));

describeEachBackend('query plans: pages seek to their cursor, and nothing sorts or scans the table', (backend) => {
  const cleanup = createSuiteCleanup();
  let explain: Explain;
  const dialect = backend === 'sqlite' ? sqliteDialect : postgresDialect;

  before(async () => {
    // Enough rows that PostgreSQL's planner prefers an index over sorting a small table.
    const database = await createBackendDatabase(cleanup, backend, 20_000);
    const location = parseDatabaseUrl(database.url);
    explain = location.kind === 'sqlite' ? explainSqlite(location.path) : explainPostgres(location.url);
  });

  // Values no other parameter has (page sizes are 21 and 1), so a seek from them is a seek to the key.
  for (const order of clientOrders) {
    const keys: [string, ClientKey | undefined][] = order.startsWith('ID')
      ? [
          ['no cursor', undefined],
          ['a cursor', { id: 10_007 }],
        ]
      : [
          ['no cursor', undefined],
          ['a cursor', { value: 'Mq', id: 10_007 }],
          ['a cursor on a null', { value: null, id: 10_007 }],
        ];
    for (const [name, key] of keys) {
      test(`${order} with ${name}, forward and backward`, async () => {
        for (const fromEnd of [false, true]) {
          const query: ClientPageQuery = { order, filter: {}, limit: 20, fromEnd };
          if (key) query[fromEnd ? 'before' : 'after'] = key;
          const pages = clientPageStatements(dialect, query).map((statement) => statement(21));
          const probe = key && clientExistsBeyondStatement(dialect, order, {}, key, fromEnd ? 'after' : 'before');
          for (const statement of probe ? [...pages, probe] : pages) {
            const plan = await explain(statement);
            const shown = `${statement.sql}\n${plan.steps.join('\n')}\n${plan.seeks.join('\n')}`;
            assert.ok(!plan.steps.some((line) => fullSort.test(line)), shown);
            // The first segment read is the key's own; later ones start at their beginning by design.
            if (key && (statement === pages[0] || statement === probe)) assert.ok(seeksToKey(plan, key), shown);
          }
        }
      });
    }
  }
});
