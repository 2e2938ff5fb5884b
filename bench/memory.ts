import { benchDatabase } from './lib/database.js';
import { postOperation } from './lib/http.js';
import { sampleUsage } from './lib/process-usage.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startReadyService } from './lib/servers.js';
import type { BenchRow } from './lib/table.js';

/** Peak RSS of the whole service process (main thread and every worker) while 4 exports run at once. */
export async function measureMemory(): Promise<BenchRow[]> {
  const cleanup = createCleanup();
  const rows: BenchRow[] = [];
  try {
    for (const profile of ['full', 'seed'] as const) {
      process.stderr.write(`memory: ${profile}\n`);
      const service = await startReadyService(cleanup, {
        DATABASE_URL: benchDatabase(40_000, profile),
        MAX_PAGE_SIZE: '40000',
        REQUEST_TIMEOUT_MS: '600000',
      });
      const pid = service.child.pid ?? 0;
      const usage = sampleUsage(pid, 50);
      const replies = await Promise.all([1, 2, 3, 4].map(() => postOperation(service.url, clientsQuery(40_000))));
      const { startRssMb, peakRssMb } = usage.stop();
      rows.push({
        benchmark: `memory: 4 concurrent exports (${profile})`,
        case: `peak RSS, whole process (${replies.filter((r) => r.status === 200).length}/4 answered)`,
        measured: `${startRssMb} MB ready, ${peakRssMb} MB peak`,
        ratio: '-',
        target: 'reported',
      });
      await cleanup.run();
    }
  } finally {
    await cleanup.run();
  }
  return rows;
}
