import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnService, waitFor } from '../test/helpers/process.js';
import { benchDatabase } from './lib/database.js';
import { percentile, postOperation, type Reply } from './lib/http.js';
import { otherFailures, type ProbeRun } from './lib/probe-run.js';
import { createCleanup, startJsonScript } from './lib/processes.js';

/**
 * Do liveness probes stall while the service produces huge responses? Per mode: an idle
 * probe loop, then probes under sustained load (2 callers exporting 40,000 clients with
 * every field, 4 callers paging with first: 100). Workers and inline mode run the real
 * service; the control answers with the same bytes after the same delays, doing no work.
 * The load lasts until each exporter has received EXPORTS_PER_CALLER (default 2) whole
 * responses and at least LOAD_SECONDS (default 8) have passed, so the probe window holds
 * the sending of the bodies too, not only their production.
 * With GAP_SAMPLER=1, bench/gap-sampler.ts is preloaded into each server and the main-thread
 * event-loop gaps over GAP_REPORT_MS (15) during the load are reported per mode.
 * Usage: npm run bench:probes   (GAP_SAMPLER=1 GAP_INTERVAL_MS=1 GAP_REPORT_MS=15)
 */
const loadMs = Number(process.env.LOAD_SECONDS ?? 8) * 1000;
const exportsPerCaller = Number(process.env.EXPORTS_PER_CALLER ?? 2);
const idleMs = Number(process.env.IDLE_SECONDS ?? 3) * 1000;
const sampleGaps = process.env.GAP_SAMPLER === '1';

const allFields = `id databaseId str1 str2 str3 str4 str5 str6 str7 str8
  address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 }
  bankAccounts { edges { cursor node { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 str9 str10
    str12 str13 str14 str15 str16 address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 } } } }`;
const exportQuery = `{ clients(first: 40000) { edges { cursor node { ${allFields} } } } }`;
const pageQuery = `query ($after: String) { clients(first: 100, after: $after) {
  edges { cursor node { ${allFields} } } pageInfo { hasNextPage endCursor } } }`;

interface ModeResult {
  mode: string;
  idleRate: number;
  loadSeconds: number;
  loadRate: number;
  worstWindow: number;
  timeouts: number;
  otherFailures: string;
  p50: number;
  p99: number;
  heavy: Reply[];
  pages: Reply[];
  /** Probes answered in each whole second of the load, and when each export ended (s). */
  perSecond: number[];
  exportsEndedAt: number[];
  /** The load's start and end (epoch ms), to find the server's gaps in it. */
  loadWindow: [number, number];
  /** With GAP_SAMPLER=1: the server's main-thread gaps during the load. */
  gaps?: string;
}

/** The fewest probes answered in any 1 s window (sliding in 100 ms steps). */
function worstWindow(run: ProbeRun): number {
  let worst = Number.POSITIVE_INFINITY;
  for (let start = 0; start + 1000 <= run.duration; start += 100) {
    const count = run.completions.filter((t) => t >= start && t < start + 1000).length;
    worst = Math.min(worst, count);
  }
  return worst;
}

const probeLoop = (url: string, maxMs: number) => startJsonScript<ProbeRun>('../probe-loop.js', [url, String(maxMs)]);

async function measure(
  mode: string,
  url: string,
  capture = false,
): Promise<ModeResult & { bodies: { heavy?: Buffer; page?: Buffer } }> {
  await probeLoop(url, 1000).done; // warms the prober's JIT and the server's first responses; not counted
  const idle = await probeLoop(url, idleMs).done;
  // The load's prober runs before the load, as a kubelet's does, and counts from the load's start:
  // started with the load, its own cold start was the worst second (about 2,500-3,400 probes in
  // the first second against about 9,000 after, in 3 runs; the control's first second dipped less).
  const prober = probeLoop(url, 600_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  prober.send('mark');
  const loadStartedAt = Date.now();
  const started = performance.now();
  let stop = false;
  const exportsEndedAt: number[] = [];
  const heavy: Reply[] = [];
  const pages: Reply[] = [];
  const bodies: { heavy?: Buffer; page?: Buffer } = {};
  const exporter = async () => {
    for (let done = 0; done < exportsPerCaller || performance.now() - started < loadMs; done++) {
      const reply = await postOperation(url, exportQuery, {}, capture && !bodies.heavy);
      exportsEndedAt.push((performance.now() - started) / 1000);
      bodies.heavy ??= reply.body;
      reply.body = undefined;
      heavy.push(reply);
    }
  };
  const pager = async () => {
    let after: string | null = null;
    while (!stop) {
      const reply = await postOperation(url, pageQuery, { after }, true);
      if (capture) bodies.page ??= reply.body;
      const info = JSON.parse(reply.body?.toString() ?? '{}').data?.clients?.pageInfo;
      after = info?.hasNextPage ? info.endCursor : null;
      reply.body = undefined;
      pages.push(reply);
    }
  };
  const pagers = [pager(), pager(), pager(), pager()];
  await Promise.all([exporter(), exporter()]);
  const load = await prober.stop();
  const loadEndedAt = Date.now();
  stop = true;
  await Promise.all(pagers);
  return {
    mode,
    idleRate: idle.completions.length / (idle.duration / 1000),
    loadSeconds: load.duration / 1000,
    loadRate: load.completions.length / (load.duration / 1000),
    worstWindow: worstWindow(load),
    timeouts: load.timeouts,
    otherFailures: otherFailures(load),
    p50: percentile(load.latencies, 50),
    p99: percentile(load.latencies, 99),
    heavy,
    pages,
    bodies,
    exportsEndedAt,
    loadWindow: [loadStartedAt, loadEndedAt],
    perSecond: Array.from(
      { length: Math.floor(load.duration / 1000) },
      (_, second) => load.completions.filter((t) => t >= second * 1000 && t < (second + 1) * 1000).length,
    ),
  };
}

const gapReportMs = Number(process.env.GAP_REPORT_MS ?? 15);

/** With GAP_SAMPLER=1, the environment that preloads the gap sampler into a server, writing to `folder`. */
const gapEnv = (folder: string | undefined, mode: string): Record<string, string> =>
  folder
    ? {
        NODE_OPTIONS: `--import ${new URL('./gap-sampler.js', import.meta.url).href}`,
        GAP_FILE: join(folder, `${mode}.jsonl`),
      }
    : {};

/** The gaps the sampler wrote that overlap the load window, summed up in a few words. */
function gapsDuring(file: string | undefined, [start, end]: [number, number]): string | undefined {
  if (!file) return undefined;
  const gaps = (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [])
    .map((line) => JSON.parse(line) as { gapMs: number; endedAt: number })
    .filter((gap) => gap.endedAt > start && gap.endedAt - gap.gapMs < end);
  if (gaps.length === 0) return `none over ${gapReportMs} ms`;
  return `${gaps.length} over ${gapReportMs} ms, longest ${Math.max(...gaps.map((gap) => gap.gapMs))} ms`;
}

async function main() {
  const databaseUrl = benchDatabase(40_000, 'full');
  const cleanup = createCleanup();
  const results: ModeResult[] = [];
  const gapsFolder = sampleGaps ? mkdtempSync(join(tmpdir(), 'probe-gaps-')) : undefined;
  const serviceEnv = {
    DATABASE_URL: databaseUrl,
    MAX_PAGE_SIZE: '40000',
    REQUEST_TIMEOUT_MS: '600000',
  };
  try {
    let captured: { heavy?: Buffer; page?: Buffer } = {};
    for (const mode of ['workers', 'inline']) {
      const gaps = gapEnv(gapsFolder, mode);
      const service = await spawnService(cleanup, { ...serviceEnv, EXECUTOR: mode, ...gaps });
      await waitFor(async () => (await fetch(`${service.url}/.well-known/ready`)).ok, 60_000);
      process.stderr.write(`measuring ${mode}\n`);
      const result = await measure(mode, service.url, mode === 'workers');
      result.gaps = gapsDuring(gaps.GAP_FILE, result.loadWindow);
      if (mode === 'workers') captured = result.bodies;
      results.push(result);
      await cleanup.run();
    }
    const [workers] = results;
    if (!workers || !captured.heavy || !captured.page) throw new Error('the workers run captured no bodies');
    const folder = mkdtempSync(join(tmpdir(), 'probe-control-'));
    cleanup.after(() => rmSync(folder, { recursive: true, force: true }));
    writeFileSync(join(folder, 'heavy.json'), captured.heavy);
    writeFileSync(join(folder, 'page.json'), captured.page);
    const delay = (replies: Reply[]) =>
      String(
        Math.round(
          percentile(
            replies.map((r) => r.ms),
            50,
          ),
        ),
      );
    const controlScript = new URL('./control-server.js', import.meta.url).pathname;
    const gaps = gapEnv(gapsFolder, 'control');
    const control = await spawnService(cleanup, gaps, [
      controlScript,
      join(folder, 'heavy.json'),
      delay(workers.heavy),
      join(folder, 'page.json'),
      delay(workers.pages),
    ]);
    process.stderr.write('measuring control\n');
    const result = await measure('control', control.url);
    result.gaps = gapsDuring(gaps.GAP_FILE, result.loadWindow);
    results.push(result);
  } finally {
    await cleanup.run();
    if (gapsFolder) rmSync(gapsFolder, { recursive: true, force: true });
  }
  report(results);
}

function report(results: ModeResult[]) {
  const control = results.find((r) => r.mode === 'control');
  const rows = results.map((r) => ({
    mode: r.mode,
    'idle probes/s': r.idleRate.toFixed(0),
    'load s': r.loadSeconds.toFixed(1),
    'load probes/s': r.loadRate.toFixed(0),
    'load/idle': (r.loadRate / r.idleRate).toFixed(2),
    'worst 1 s window': r.worstWindow,
    'worst/idle': (r.worstWindow / r.idleRate).toFixed(2),
    'worst/control worst': control ? (r.worstWindow / control.worstWindow).toFixed(2) : '-',
    timeouts: r.timeouts,
    'other failed probes': r.otherFailures,
    'p50 ms': r.p50.toFixed(2),
    'p99 ms': r.p99.toFixed(2),
    'exports done': r.heavy.length,
    'export s (median/max)': r.heavy.length
      ? `${(
          percentile(
            r.heavy.map((h) => h.ms),
            50,
          ) / 1000
        ).toFixed(2)}/${(Math.max(...r.heavy.map((h) => h.ms)) / 1000).toFixed(2)}`
      : '-',
    'export MB': r.heavy.length ? ((r.heavy[0]?.bytes ?? 0) / 1e6).toFixed(1) : '-',
    'pages done': r.pages.length,
  }));
  console.log(
    `\nprobes: ${idleMs / 1000} s idle, then load until each of 2 exporters got ${exportsPerCaller} responses` +
      ` (at least ${loadMs / 1000} s); 40,000 clients, full profile`,
  );
  console.table(rows);
  // `npm run bench` (bench/all.ts) puts these figures into its own table.
  if (process.env.BENCH_SUMMARY) writeFileSync(process.env.BENCH_SUMMARY, JSON.stringify(rows));
  for (const r of results) {
    if (r.gaps) console.log(`${r.mode}: the server's main-thread event-loop gaps during the load: ${r.gaps}`);
    console.log(`${r.mode}: probes per second of load: ${r.perSecond.join(' ')}`);
    console.log(`${r.mode}: exports ended at (s): ${r.exportsEndedAt.map((t) => t.toFixed(1)).join(' ')}`);
  }
}

await main();
