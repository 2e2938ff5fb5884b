import { benchDatabase } from './lib/database.js';
import { postOperation, type Reply } from './lib/http.js';
import { sampleUsage } from './lib/process-usage.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startReadyService } from './lib/servers.js';
import { type BenchRow, median, ms, ratio } from './lib/table.js';

const runs = Number(process.env.STREAMING_RUNS ?? 3);

async function exportOnce(url: string, size: number): Promise<Reply> {
  const reply = await postOperation(url, clientsQuery(size));
  if (reply.status !== 200) throw new Error(`export of ${size}: status ${reply.status}`);
  return reply;
}

/** Peak RSS of the whole process (main thread and workers) above its RSS before `work`, in MB. */
async function peakDuring(pid: number, work: () => Promise<unknown>): Promise<{ startMb: number; peakMb: number }> {
  const usage = sampleUsage(pid, 25);
  await work();
  const { startRssMb, peakRssMb } = usage.stop();
  return { startMb: startRssMb, peakMb: peakRssMb };
}

/**
 * Issue 11's targets, each measured side by side in one run, slices (the default) against the
 * page executed whole (SLICE_SIZE=0): a warm 40,000-client export with every field alone (first
 * byte and last byte), peak RSS of the whole process with 2 exports at once against its RSS when
 * ready, and (slices only) the peak of a 200,000-client export against a 40,000-client one.
 */
export async function measureStreaming(): Promise<BenchRow[]> {
  const small = benchDatabase(40_000, 'full');
  const large = benchDatabase(200_000, 'full');
  const cleanup = createCleanup();
  const rows: BenchRow[] = [];
  const totals: Record<string, number> = {};
  try {
    for (const [mode, sliceSize] of [
      ['slices', undefined],
      ['whole', '0'],
    ] as const) {
      process.stderr.write(`streaming: ${mode}\n`);
      const service = await startReadyService(cleanup, {
        DATABASE_URL: small,
        MAX_PAGE_SIZE: '40000',
        REQUEST_TIMEOUT_MS: '600000',
        ...(sliceSize && { SLICE_SIZE: sliceSize }),
      });
      const pid = service.child.pid ?? 0;
      await postOperation(service.url, clientsQuery(20));
      // Memory first, on a process that has not exported yet: its RSS when ready is the base.
      const two = await peakDuring(pid, () =>
        Promise.all([exportOnce(service.url, 40_000), exportOnce(service.url, 40_000)]),
      );
      await exportOnce(service.url, 40_000);
      const replies: Reply[] = [];
      for (let run = 0; run < runs; run++) replies.push(await exportOnce(service.url, 40_000));
      const total = median(replies.map((reply) => reply.ms));
      const firstByte = median(replies.map((reply) => reply.firstByteMs));
      totals[mode] = total;
      const benchmark = `streaming: 40,000-client export, every field (${mode})`;
      rows.push(
        {
          benchmark,
          case: 'first byte / last byte, alone',
          measured: `${ms(firstByte)} of ${ms(total)} (${(replies[0]?.bytes ?? 0) / 1e6} MB)`,
          ratio: ratio(firstByte / total),
          target: mode === 'slices' ? '<= 0.05x' : '-',
        },
        {
          benchmark,
          case: 'peak RSS, 2 at once, above ready RSS',
          measured: `${two.startMb} MB ready, ${two.peakMb} MB peak (+${two.peakMb - two.startMb} MB)`,
          ratio: '-',
          target: mode === 'slices' ? '<= +256 MB' : '-',
        },
      );
      await cleanup.run();
    }
    rows.push({
      benchmark: 'streaming: 40,000-client export, every field',
      case: 'slices / whole, last byte, alone',
      measured: `${ms(totals.slices ?? 0)} / ${ms(totals.whole ?? 0)}`,
      ratio: ratio((totals.slices ?? 0) / (totals.whole ?? 1)),
      target: '<= 1x (no slower)',
    });

    process.stderr.write('streaming: 200,000 vs 40,000\n');
    const peaks: number[] = [];
    for (const [database, size] of [
      [small, 40_000],
      [large, 200_000],
    ] as const) {
      const service = await startReadyService(cleanup, {
        DATABASE_URL: database,
        MAX_PAGE_SIZE: String(size),
        REQUEST_TIMEOUT_MS: '600000',
      });
      await postOperation(service.url, clientsQuery(20));
      const { peakMb } = await peakDuring(service.child.pid ?? 0, () => exportOnce(service.url, size));
      peaks.push(peakMb);
      await cleanup.run();
    }
    rows.push({
      benchmark: 'streaming: peak RSS of one export, slices',
      case: '200,000 clients / 40,000 clients',
      measured: `${peaks[1]} MB / ${peaks[0]} MB`,
      ratio: ratio((peaks[1] ?? 0) / (peaks[0] ?? 1)),
      target: '<= 1.2x',
    });
  } finally {
    await cleanup.run();
  }
  return rows;
}
