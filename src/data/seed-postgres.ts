import pg from 'pg';
import { type GeneratedClient, generateClients, type SeedProfile } from './generate.js';
import { accountStrings, addressStrings, clientStrings, createIndexesSql, createTablesSql } from './tables.js';

// Replicas starting together would race on CREATE TABLE IF NOT EXISTS (it is not atomic in
// PostgreSQL); a transaction-scoped advisory lock lets one at a time through.
const schemaLockKey = 7_317_001;

async function inSchemaLock(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, fallback_application_name: 'clients-query-service' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [schemaLockKey]);
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Creates the tables and indexes that do not exist yet; safe to run from every replica at once. */
export function preparePostgres(url: string): Promise<void> {
  return inSchemaLock(url, async (client) => {
    for (const sql of [...createTablesSql('postgres'), ...createIndexesSql()]) await client.query(sql);
  });
}

/**
 * `INSERT ... SELECT FROM json_to_recordset($1)`: one statement per batch and table, the rows
 * as one JSON parameter (V8's JSON.stringify is far cheaper than building array literals).
 */
function batchInsert(table: string, columns: Record<string, 'integer' | 'text'>) {
  const names = Object.keys(columns);
  const snake = names.map((name) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
  const definitions = names.map((name) => `"${name}" ${columns[name]}`).join(', ');
  const sql =
    `INSERT INTO ${table} (${snake.join(', ')}) SELECT ${names.map((name) => `"${name}"`).join(', ')} ` +
    `FROM json_to_recordset($1::json) AS row (${definitions})`;
  return (rows: readonly object[]) => ({ text: sql, values: [JSON.stringify(rows)] });
}

const texts = (columns: readonly string[]) => Object.fromEntries(columns.map((column) => [column, 'text'] as const));
const insertAddresses = batchInsert('addresses', { id: 'integer', ...texts(addressStrings) });
const insertClients = batchInsert('clients', { id: 'integer', addressId: 'integer', ...texts(clientStrings) });
const insertAccounts = batchInsert('accounts', {
  id: 'integer',
  clientId: 'integer',
  addressId: 'integer',
  ...texts(accountStrings),
});
const clientsPerBatch = 5_000;

/**
 * Replaces the data in one transaction: readers see the old data until it commits. Indexes are
 * built after the load (faster than maintaining them row by row); the next batch is generated
 * while the server writes the previous one.
 */
export function seedPostgres(options: { url: string; clients: number; profile: SeedProfile }): Promise<void> {
  return inSchemaLock(options.url, async (client) => {
    await client.query('DROP TABLE IF EXISTS accounts, clients, addresses');
    for (const sql of createTablesSql('postgres')) await client.query(sql);
    let pending: Promise<unknown> = Promise.resolve();
    let batch: GeneratedClient[] = [];
    const flush = async () => {
      const rows = batch;
      batch = [];
      const statements = [
        insertAddresses(rows.flatMap((row) => row.addresses)),
        insertClients(rows.map((row) => row.client)),
        insertAccounts(rows.flatMap((row) => row.accounts)),
      ];
      await pending;
      // One statement at a time on the connection, while the generator builds the next batch.
      pending = (async () => {
        for (const statement of statements) await client.query(statement);
      })();
    };
    for (const generated of generateClients(options.clients, options.profile)) {
      batch.push(generated);
      if (batch.length === clientsPerBatch) await flush();
    }
    await flush();
    await pending;
    for (const sql of createIndexesSql()) await client.query(sql);
    await client.query('ANALYZE addresses, clients, accounts');
  });
}
