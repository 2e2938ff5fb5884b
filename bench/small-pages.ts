import { runCallers } from './lib/callers.js';
import { benchDatabase } from './lib/database.js';
import { postOperation } from './lib/http.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startReadyService } from './lib/servers.js';
import { type BenchRow, ms, ratio } from './lib/table.js';

const seconds = Number(process.env.SMALL_PAGE_SECONDS ?? 10);
const callers = 32;
const pageQuery = clientsQuery(20);

const modes = {
  inline: { EXECUTOR: 'inline' },
  'workers, PLANNER=false': { PLANNER: 'false' },
  workers: {},
} as const;

/**
 * `first: 20` pages with every nested field from 32 concurrent callers: workers (the planner
 * writing the edges: one statement a page) against inline, and against the workers executing
 * every page (PLANNER=false, the worker mode before the planner).
 */
export async function measureSmallPages(): Promise<BenchRow[]> {
  const databaseUrl = benchDatabase(40_000, 'full');
  const cleanup = createCleanup();
  const results: Partial<Record<keyof typeof modes, Awaited<ReturnType<typeof runCallers>>>> = {};
  try {
    for (const [mode, env] of Object.entries(modes) as [keyof typeof modes, Record<string, string>][]) {
      process.stderr.write(`small pages: ${mode}\n`);
      const service = await startReadyService(cleanup, { DATABASE_URL: databaseUrl, ...env });
      const call = () => postOperation(service.url, pageQuery);
      await runCallers(callers, 2000, call);
      results[mode] = await runCallers(callers, seconds * 1000, call);
      await cleanup.run();
    }
  } finally {
    await cleanup.run();
  }
  const { workers, inline } = results;
  const executor = results['workers, PLANNER=false'];
  if (!workers || !inline || !executor) throw new Error('missing a mode');
  const benchmark = `first: 20 nested, ${callers} callers, ${seconds} s`;
  const describe = (r: typeof workers) =>
    `${r.perSecond.toFixed(0)} req/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}${r.failed ? `, not served: ${r.failures}` : ''}`;
  return [
    { benchmark, case: 'inline', measured: describe(inline), ratio: '1.00x', target: '-' },
    {
      benchmark,
      case: 'workers, PLANNER=false / inline (req/s)',
      measured: describe(executor),
      ratio: ratio(executor.perSecond / inline.perSecond),
      target: '-',
    },
    {
      benchmark,
      case: 'workers / inline (req/s)',
      measured: describe(workers),
      ratio: ratio(workers.perSecond / inline.perSecond),
      target: '>= 1.3x',
    },
    {
      benchmark,
      case: 'workers / workers with PLANNER=false (req/s)',
      measured: `${workers.perSecond.toFixed(0)} / ${executor.perSecond.toFixed(0)} req/s`,
      ratio: ratio(workers.perSecond / executor.perSecond),
      target: 'reported',
    },
  ];
}
