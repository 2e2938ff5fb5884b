import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { openDataSource } from '../src/data/open-data-source.js';
import { runOperation } from '../src/executor/run-operation.js';
import { schema } from '../src/schema/index.js';
import { benchDatabase } from './lib/database.js';
import { clientsQuery } from './lib/queries.js';

/**
 * Which compression effort is worth it? The same bodies the service sends (a 40,000-client
 * export of each data profile, a page of 20), compressed in this process with node:zlib's sync
 * calls at the levels the service could use: bytes and time of each, one run.
 * Usage: npm run bench:compression-levels
 */
const settings = [
  ['gzip 1', (body: Buffer) => gzipSync(body, { level: 1 })],
  ['gzip 6', (body: Buffer) => gzipSync(body, { level: 6 })],
  ...[1, 4, 5, 6].map(
    (quality) =>
      [
        `br ${quality}`,
        (body: Buffer) =>
          brotliCompressSync(body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          }),
      ] as const,
  ),
] as const;

/** The body the service answers for `query`, executed whole in this process. */
async function bodyOf(profile: 'full' | 'seed', query: string): Promise<Buffer> {
  const dataSource = openDataSource(benchDatabase(40_000, profile), { poolSize: 1, statementTimeoutMs: 600_000 });
  try {
    const context = { dataSource, pageSizes: { defaultSize: 20, maxSize: 40_000 } };
    const { text } = await runOperation(schema, { kind: 'operation', query }, context);
    return Buffer.from(text);
  } finally {
    await dataSource.close();
  }
}

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} KB`);

const bodies = [
  ['export, full', await bodyOf('full', clientsQuery(40_000))],
  ['export, seed', await bodyOf('seed', clientsQuery(40_000))],
  ['first: 20, full', await bodyOf('full', clientsQuery(20))],
] as const;

console.log(`| body | ${settings.map(([name]) => name).join(' | ')} |`);
console.log(`| --- | ${settings.map(() => '---').join(' | ')} |`);
for (const [name, body] of bodies) {
  const cells = settings.map(([, compress]) => {
    const started = performance.now();
    const compressed = compress(body);
    const ms = performance.now() - started;
    return `${size(compressed.length)}, ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  });
  console.log(`| ${name} (${size(body.length)}) | ${cells.join(' | ')} |`);
}
