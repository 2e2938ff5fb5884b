import { benchDatabase } from './lib/database.js';
import { postOperation } from './lib/http.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startReadyService } from './lib/servers.js';
import { type BenchRow, median, ms, ratio } from './lib/table.js';

const encodings = ['identity', 'gzip', 'br'];

/** Bytes on the wire and time to the last byte per Accept-Encoding, for an export and a small page. */
export async function measureCompression(): Promise<BenchRow[]> {
  const databaseUrl = benchDatabase(40_000, 'full');
  const cleanup = createCleanup();
  const rows: BenchRow[] = [];
  try {
    const service = await startReadyService(cleanup, {
      DATABASE_URL: databaseUrl,
      MAX_PAGE_SIZE: '40000',
      REQUEST_TIMEOUT_MS: '600000',
    });
    for (const [label, query, runs] of [
      ['export 40,000 (full)', clientsQuery(40_000), 3],
      ['first: 20 (full)', clientsQuery(20), 50],
    ] as const) {
      process.stderr.write(`compression: ${label}\n`);
      let identityBytes = 0;
      for (const encoding of encodings) {
        const call = () => postOperation(service.url, query, {}, false, { 'accept-encoding': encoding });
        await call();
        const replies = [];
        for (let run = 0; run < runs; run++) replies.push(await call());
        const bytes = replies[0]?.bytes ?? 0;
        if (encoding === 'identity') identityBytes = bytes;
        rows.push({
          benchmark: `compression: ${label}`,
          case: `Accept-Encoding: ${encoding} (bytes / identity)`,
          measured: `${bytes.toLocaleString('en')} bytes, ${ms(median(replies.map((r) => r.ms)))}`,
          ratio: ratio(bytes / identityBytes),
          target: '-',
        });
      }
    }
  } finally {
    await cleanup.run();
  }
  return rows;
}
