import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureCompression } from './compression.js';
import { measureExport } from './export.js';
import { measureHeadOfLine } from './head-of-line.js';
import type { BenchRow } from './lib/table.js';
import { measureMemory } from './memory.js';
import { measurePlannedEdges } from './planned-edges.js';
import { measureSmallPages } from './small-pages.js';
import { measureStreaming } from './streaming.js';
import { measureTracing } from './tracing.js';

/**
 * `npm run bench`: every benchmark, then one table of ratios. The other scripts (probes,
 * sizing, rolling restart, deep pages, flood) run as their own processes and print their own tables first; the
 * probe figures also go into the table. BENCH_ONLY=export,small-pages,... picks parts
 * (export, streaming, planned-edges, small-pages, tracing, head-of-line, compression, memory, probes, sizing,
 * rolling-restart, deep-pages, flood).
 */
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string) => !only || only.includes(name);

/** Runs another bench script in its own process, its output passed through; resolves its exit code. */
function runScript(script: string, env: Record<string, string> = {}): Promise<number> {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

interface ProbeSummaryRow {
  mode: string;
  timeouts: number;
  'p99 ms': string;
  'worst/control worst': string;
  'load/idle': string;
}

async function probes(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const summary = join(folder, 'probes.json');
    const code = await runScript('./probes.js', { BENCH_SUMMARY: summary });
    if (code !== 0) return [{ benchmark: 'probes', case: 'failed', measured: `exit ${code}`, ratio: '-', target: '-' }];
    const rows = JSON.parse(readFileSync(summary, 'utf8')) as ProbeSummaryRow[];
    return rows
      .filter((row) => row.mode !== 'control')
      .map((row) => ({
        benchmark: 'probes under export + paging load',
        case: `${row.mode}: worst 1 s / control's worst (timeouts, p99, load/idle)`,
        measured: `${row.timeouts} timeouts, p99 ${row['p99 ms']} ms, load/idle ${row['load/idle']}`,
        ratio: `${row['worst/control worst']}x`,
        target: row.mode === 'workers' ? '>= 0.90x, 0 timeouts, p99 < 10 ms' : '-',
      }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const rows: BenchRow[] = [];
const started = performance.now();
if (wanted('probes')) rows.push(...(await probes()));
for (const script of ['sizing', 'rolling-restart', 'deep-pages', 'flood']) {
  if (!wanted(script)) continue;
  const code = await runScript(`./${script}.js`);
  if (code !== 0) rows.push({ benchmark: script, case: 'failed', measured: `exit ${code}`, ratio: '-', target: '-' });
}
if (wanted('export')) for (const profile of ['full', 'seed'] as const) rows.push(...(await measureExport(profile)));
if (wanted('streaming')) rows.push(...(await measureStreaming()));
if (wanted('planned-edges')) rows.push(...(await measurePlannedEdges()));
if (wanted('small-pages')) rows.push(...(await measureSmallPages()));
if (wanted('tracing')) rows.push(...(await measureTracing()));
if (wanted('head-of-line')) rows.push(...(await measureHeadOfLine()));
if (wanted('compression')) rows.push(...(await measureCompression()));
if (wanted('memory')) rows.push(...(await measureMemory()));
console.log(`\nnpm run bench: ${((performance.now() - started) / 60_000).toFixed(1)} min`);
console.table(rows);
