import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import type { SeedProfile } from './data/generate.js';
import { parseDatabaseUrl, redactDatabaseUrl } from './data/open-data-source.js';
import { seedPostgres } from './data/seed-postgres.js';
import { seedSqlite } from './data/seed-sqlite.js';
import { createLogger } from './logger.js';

/** `npm run seed -- --clients N --profile seed|full [--database URL]`: (re)creates the database. */
const usage = 'usage: npm run seed -- --clients N --profile seed|full [--database URL]';
const config = loadConfig();
const logger = createLogger(config.logLevel);

try {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: String(config.seedClients) },
      profile: { type: 'string', default: 'full' },
      database: { type: 'string', default: config.databaseUrl },
    },
  });
  const clients = Number(values.clients);
  if (!Number.isSafeInteger(clients) || clients < 0) throw new Error(`--clients must be a whole number. ${usage}`);
  if (values.profile !== 'seed' && values.profile !== 'full')
    throw new Error(`--profile must be seed or full. ${usage}`);
  const location = parseDatabaseUrl(values.database);
  const profile = values.profile as SeedProfile;
  const started = performance.now();
  if (location.kind === 'postgres') await seedPostgres({ url: location.url, clients, profile });
  else seedSqlite({ path: location.path, clients, profile });
  const seconds = (performance.now() - started) / 1000;
  const database = location.kind === 'postgres' ? redactDatabaseUrl(location.url) : location.path;
  logger.info({ database, clients, profile, seconds: Number(seconds.toFixed(1)) }, 'seeded');
} catch (error) {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
