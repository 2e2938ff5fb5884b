import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'graphql';
import type { DataSource } from '../src/data/data-source.js';
import type { SeedProfile } from '../src/data/generate.js';
import { openDataSource } from '../src/data/open-data-source.js';
import { createCompiledExecutor } from '../src/executor/execute-compiled.js';
import { schema } from '../src/schema/index.js';
import { benchDatabase } from './lib/database.js';
import { clientsQuery } from './lib/queries.js';

/**
 * Where the time of a whole-page export goes, in this process (no HTTP, no slices): EXPORTS
 * (default 4) warm 40,000-client exports with every field (PROFILE, default full) from the
 * embedded SQLite database, each split into the data source's reads by method and call (SQL and
 * row materialisation: better-sqlite3 runs a statement synchronously inside the call, so a
 * read's time is the call's own), the garbage collector's pauses (perf_hooks gc entries:
 * scavenges, mark-compacts), and JSON.stringify of the result; with the heap when execution
 * ends (collected before each export): in use (the rows and the result tree it holds) and held
 * by V8 (what the worker's memory grew to).
 * Usage: npm run bench:export-breakdown   (EXPORTS, PROFILE; V8 flags through NODE_OPTIONS,
 * e.g. NODE_OPTIONS=--max-semi-space-size=64)
 */
const exports = Number(process.env.EXPORTS ?? 4);
const profile = (process.env.PROFILE ?? 'full') as SeedProfile;
const query = clientsQuery(40_000);

/** Wraps every read of a data source to add its (synchronous) time to `times`, keyed by method and call order. */
function timed(dataSource: DataSource, times: Map<string, number>): DataSource {
  const calls = new Map<string, number>();
  const wrapped = { ...dataSource } as Record<string, unknown>;
  for (const [name, method] of Object.entries(dataSource) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = (...args: unknown[]) => {
      const call = (calls.get(name) ?? 0) + 1;
      calls.set(name, call);
      const started = performance.now();
      const result = method(...args);
      const key = `${name} #${call}`;
      times.set(key, (times.get(key) ?? 0) + performance.now() - started);
      return result;
    };
  }
  return wrapped as unknown as DataSource;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const gcKinds: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const gcEntries: PerformanceEntry[] = [];
new PerformanceObserver((list) => gcEntries.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
/** GC pauses that started in [from, to), by kind: count and total ms. */
function gcBetween(from: number, to: number): Map<string, { count: number; ms: number }> {
  const byKind = new Map<string, { count: number; ms: number }>();
  for (const entry of gcEntries.filter((e) => e.startTime >= from && e.startTime < to)) {
    const kind = gcKinds[(entry as PerformanceEntry & { detail: { kind: number } }).detail.kind] ?? 'other';
    const sum = byKind.get(kind) ?? { count: 0, ms: 0 };
    byKind.set(kind, { count: sum.count + 1, ms: sum.ms + entry.duration });
  }
  return byKind;
}

const dataSource = openDataSource(benchDatabase(40_000, profile), { poolSize: 2, statementTimeoutMs: 600_000 });
const execute = createCompiledExecutor();
const document = parse(query);
const pageSizes = { defaultSize: 20, maxSize: 40_000 };
const run = (source: DataSource) =>
  execute({ schema, document, query, contextValue: { dataSource: source, pageSizes } });
// The first sighting runs with graphql-js, the second compiles: both before measuring.
for (let warm = 0; warm < 2; warm++) await run(dataSource);

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`${exports} warm exports of 40,000 clients (${profile}), every field, graphql-jit, whole pages:`);
for (let index = 1; index <= exports; index++) {
  const reads = new Map<string, number>();
  collectGarbage();
  const started = performance.now();
  const result = await run(timed(dataSource, reads));
  const executed = performance.now();
  const heap = getHeapStatistics();
  const text = JSON.stringify(result);
  const stringified = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries arrive asynchronously
  const sql = [...reads.values()].reduce((sum, ms) => sum + ms, 0);
  const gc = [...gcBetween(started, executed)].map(([kind, { count, ms }]) => `${kind} ${count} x, ${s(ms)}`);
  console.log(
    `- export ${index}: execution ${s(executed - started)} (reads ${s(sql)}: ${[...reads]
      .map(([name, ms]) => `${name} ${s(ms)}`)
      .join(
        ', ',
      )}; GC ${gc.join(', ') || 'none'}), heap after execution ${(heap.used_heap_size / 1e6).toFixed(0)} MB ` +
      `in use, ${(heap.total_heap_size / 1e6).toFixed(0)} MB held, ` +
      `JSON.stringify ${s(stringified - executed)} (${(text.length / 1e6).toFixed(1)} MB)`,
  );
}
await dataSource.close();
