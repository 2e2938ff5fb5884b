import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { spawnService, waitFor } from '../test/helpers/process.js';
import { exportQuery } from '../test/helpers/queries.js';
import { benchDatabase } from './lib/database.js';
import { percentile } from './lib/http.js';
import { otherFailures, type ProbeRun } from './lib/probe-run.js';
import { sampleUsage } from './lib/process-usage.js';
import { createCleanup, startJsonScript } from './lib/processes.js';

/**
 * Does the bounded queue keep memory flat and the service alive under a flood? One export
 * alone first (its peak RSS is the reference), then FLOOD_CALLERS (default 200) concurrent
 * 40,000-client exports with every field, each on its own connection. Reports the answers
 * by status (a body the server ended early, as a deadline mid-stream does, as 'cut short'),
 * how fast the 503s came, the peak RSS of the whole server process (workers included),
 * readiness while saturated, and liveness probes throughout.
 * Usage: npm run bench:flood  (MAX_QUEUE, REQUEST_TIMEOUT_MS: the service's defaults unless set)
 */
const callers = Number(process.env.FLOOD_CALLERS ?? 200);
const query = exportQuery(40_000);

interface Answer {
  /** The HTTP status, or 'cut short' (the body ended early) or 'no response'. */
  status: number | 'cut short' | 'no response';
  ms: number;
  bytes: number;
}

/** One POST on a connection of its own (no agent: 200 callers means 200 sockets). */
function post(url: string): Promise<Answer> {
  const started = performance.now();
  const payload = JSON.stringify({ query });
  return new Promise((resolve) => {
    let bytes = 0;
    let responded = false;
    const settle = (status: Answer['status']) => resolve({ status, ms: performance.now() - started, bytes });
    // A deadline or failure mid-stream destroys the socket without the terminating chunk: the
    // response and the request may both emit 'error', and the first one decides.
    const fail = () => settle(responded ? 'cut short' : 'no response');
    const req = request(
      `${url}/graphql`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        responded = true;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => settle(res.statusCode ?? 0));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

const highWaterMb = (pid: number) =>
  Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

const cleanup = createCleanup();
try {
  const env: Record<string, string> = { DATABASE_URL: benchDatabase(40_000, 'full'), MAX_PAGE_SIZE: '40000' };
  for (const name of ['MAX_QUEUE', 'REQUEST_TIMEOUT_MS', 'WORKERS']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  const service = await spawnService(cleanup, env);
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 120_000);
  const pid = service.child.pid ?? 0;

  const alone = sampleUsage(pid);
  const single = await post(service.url);
  const aloneUsage = alone.stop();

  const prober = startJsonScript<ProbeRun>('../probe-loop.js', [service.url, String(30 * 60_000)]);
  const readiness: number[] = [];
  let flooding = true;
  const readinessLoop = (async () => {
    while (flooding) {
      readiness.push((await fetch(`${service.url}/readyz`)).status);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const usage = sampleUsage(pid);
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: callers }, () => post(service.url)));
  const floodSeconds = (performance.now() - started) / 1000;
  const floodUsage = usage.stop();
  flooding = false;
  await readinessLoop;
  const probes = await prober.stop();

  const byStatus = new Map<Answer['status'], Answer[]>();
  for (const answer of answers) byStatus.set(answer.status, [...(byStatus.get(answer.status) ?? []), answer]);
  const refused = byStatus.get(503) ?? [];
  const round = (value: number) => Math.round(value * 10) / 10;
  process.stdout.write(
    `${JSON.stringify(
      {
        callers,
        env: { ...env, DATABASE_URL: undefined },
        singleExport: {
          status: single.status,
          seconds: round(single.ms / 1000),
          mb: round(single.bytes / 1e6),
          ...aloneUsage,
        },
        flood: {
          seconds: round(floodSeconds),
          answers: Object.fromEntries([...byStatus].map(([status, list]) => [status, list.length])),
          refusedMs: {
            p50: round(
              percentile(
                refused.map((a) => a.ms),
                50,
              ),
            ),
            max: round(Math.max(...refused.map((a) => a.ms))),
          },
          ...floodUsage,
          peakRssVsSingleExport: round(floodUsage.peakRssMb / aloneUsage.peakRssMb),
          vmHwmMb: highWaterMb(pid),
        },
        readiness: { samples: readiness.length, notReady: readiness.filter((status) => status === 503).length },
        liveness: {
          probes: probes.completions.length,
          timeouts: probes.timeouts,
          otherFailures: otherFailures(probes),
          p99ms: round(percentile(probes.latencies, 99)),
          maxMs: round(percentile(probes.latencies, 100)),
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await cleanup.run();
}
