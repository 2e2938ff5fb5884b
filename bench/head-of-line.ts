import { runCallers } from './lib/callers.js';
import { benchDatabase } from './lib/database.js';
import { postOperation } from './lib/http.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startReadyService } from './lib/servers.js';
import { type BenchRow, ms, ratio } from './lib/table.js';

const seconds = Number(process.env.HEAD_OF_LINE_SECONDS ?? 15);
const pageQuery = clientsQuery(20);
const exportQuery = clientsQuery(40_000);

/**
 * Do small pages wait behind exports? p99 of `first: 20` pages from 8 callers on an idle
 * server, then while 2 other callers export 40,000 clients without pause. Once with large
 * pages in slices (the default), once with SLICE_SIZE=0 (whole pages), to show what slices remove.
 */
export async function measureHeadOfLine(): Promise<BenchRow[]> {
  const databaseUrl = benchDatabase(40_000, 'full');
  const cleanup = createCleanup();
  const rows: BenchRow[] = [];
  try {
    for (const [name, sliceSize] of [
      ['slices (default)', undefined],
      ['whole pages (SLICE_SIZE=0)', '0'],
    ] as const) {
      process.stderr.write(`head-of-line: ${name}\n`);
      const service = await startReadyService(cleanup, {
        DATABASE_URL: databaseUrl,
        MAX_PAGE_SIZE: '40000',
        REQUEST_TIMEOUT_MS: '600000',
        ...(sliceSize && { SLICE_SIZE: sliceSize }),
      });
      const page = () => postOperation(service.url, pageQuery);
      await runCallers(8, 2000, page);
      const idle = await runCallers(8, 5000, page);
      let exporting = true;
      let exportsDone = 0;
      const exporter = async () => {
        while (exporting) {
          await postOperation(service.url, exportQuery);
          exportsDone++;
        }
      };
      const exporters = [exporter(), exporter()];
      // The exports' first second is SQL in a worker: start measuring once they run.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const loaded = await runCallers(8, seconds * 1000, page);
      exporting = false;
      await Promise.all(exporters);
      const benchmark = `head-of-line: first: 20 p99, 8 callers, 2 exporting (${name})`;
      // p99s are over pages served (200): refused ones (503) are counted apart, never timed.
      const refused = [idle, loaded].some((run) => run.failed)
        ? `; not served: idle ${idle.failures || 'none'}, loaded ${loaded.failures || 'none'}`
        : '';
      rows.push({
        benchmark,
        case: `loaded / idle p99 (${exportsDone} exports, ${loaded.requests} pages served)`,
        measured: `idle ${ms(idle.p99)}, loaded ${ms(loaded.p99)} (p50 ${ms(idle.p50)} / ${ms(loaded.p50)})${refused}`,
        ratio: ratio(loaded.p99 / idle.p99),
        target: sliceSize ? '-' : '<= 2x',
      });
      await cleanup.run();
    }
  } finally {
    await cleanup.run();
  }
  return rows;
}
