import { once } from 'node:events';
import type { Cleanup } from '../../test/helpers/cleanup.js';
import { type ServiceProcess, spawnService, waitFor } from '../../test/helpers/process.js';
import { startHaproxy } from './haproxy.js';
import { percentile, postOperation } from './http.js';
import { freePort } from './ports.js';

export interface RollingRestartOptions {
  databaseUrl: string;
  replicas: number;
  callers: number;
  /** Load before the first restart and after the last one, for comparison. */
  settleMs: number;
  /** HAProxy's health check interval (the readiness probe's period). */
  checkIntervalMs: number;
  /** Extra settings for every replica (e.g. SHUTDOWN_DELAY_MS). */
  env: Record<string, string>;
  /** Where HAProxy's files go. */
  folder: string;
}

export interface PhaseFigures {
  phase: string;
  seconds: number;
  requests: number;
  failed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface RestartFigures {
  replica: number;
  exitCode: number | null;
  /** SIGTERM to exit, and exit to HAProxy sending traffic again. */
  stopMs: number;
  backMs: number;
}

export interface RollingRestartResult {
  phases: PhaseFigures[];
  restarts: RestartFigures[];
  /** Failed requests by what went wrong (HTTP status, GraphQL error code, network error). */
  failures: Record<string, number>;
}

const pageQuery = `query Page($after: String) { clients(first: 50, after: $after) {
  edges { node { id databaseId str1 address { str1 } bankAccounts(first: 3) { edges { node { databaseId } } } } }
  pageInfo { hasNextPage endCursor } } }`;

interface Sample {
  startedAt: number;
  ms: number;
  failure?: string;
}

/**
 * Replicas behind HAProxy over one database; while callers page through `clients` without
 * pause, each replica in turn gets SIGTERM, is waited for, and started again on its port. The
 * next one goes only once HAProxy routes to the new one (as `maxUnavailable: 0` would).
 */
export async function rollingRestart(t: Cleanup, options: RollingRestartOptions): Promise<RollingRestartResult> {
  const ports = await Promise.all(Array.from({ length: options.replicas }, freePort));
  const env = (port: number) => ({ DATABASE_URL: options.databaseUrl, ...options.env, PORT: String(port) });
  const replicas: ServiceProcess[] = [];
  for (const port of ports) replicas.push(await spawnService(t, env(port)));
  const haproxy = await startHaproxy(t, {
    servers: ports.map((port) => `127.0.0.1:${port}`),
    checkPath: '/.well-known/ready',
    checkIntervalMs: options.checkIntervalMs,
    folder: options.folder,
  });
  // HAProxy counts a server as up until its first check: wait for the replicas' own readiness too.
  const routed = async (replica: ServiceProcess, index: number) =>
    (await isReady(replica)) && (await haproxy.states())[index] === 'UP';
  await waitFor(async () => (await Promise.all(replicas.map(routed))).every(Boolean), 60_000);
  await sleep(options.checkIntervalMs);

  const origin = performance.now();
  const samples: Sample[] = [];
  let stop = false;
  const caller = async () => {
    let after: string | null = null;
    while (!stop) {
      const sample = await pageOnce(haproxy.url, after);
      samples.push({ ...sample, startedAt: sample.startedAt - origin });
      after = sample.failure ? after : sample.next;
    }
  };
  const callers = Array.from({ length: options.callers }, caller);

  await sleep(options.settleMs);
  const rollStarted = performance.now() - origin;
  const restarts: RestartFigures[] = [];
  for (const [replica, port] of ports.entries()) {
    const process = replicas[replica];
    if (!process) continue;
    const stopping = performance.now();
    process.child.kill('SIGTERM');
    const [exitCode] = (await once(process.child, 'exit')) as [number | null];
    const exited = performance.now();
    const restarted = await spawnService(t, env(port));
    replicas[replica] = restarted;
    await waitFor(() => routed(restarted, replica), 60_000);
    restarts.push({
      replica,
      exitCode,
      stopMs: Math.round(exited - stopping),
      backMs: Math.round(performance.now() - exited),
    });
  }
  const rollEnded = performance.now() - origin;
  await sleep(options.settleMs);
  stop = true;
  await Promise.all(callers);
  const ended = performance.now() - origin;

  const failures: Record<string, number> = {};
  for (const { failure } of samples) if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
  return {
    phases: [
      figures('before', samples, 0, rollStarted),
      figures('during the roll', samples, rollStarted, rollEnded),
      figures('after', samples, rollEnded, ended),
    ],
    restarts,
    failures,
  };
}

async function pageOnce(url: string, after: string | null): Promise<Sample & { next: string | null }> {
  const startedAt = performance.now();
  try {
    const reply = await postOperation(url, pageQuery, { after }, true);
    if (reply.status !== 200) {
      // HAProxy answers with HTML (e.g. 503 when it cannot connect); the service with JSON.
      const source = reply.body?.toString().startsWith('<html>') ? 'HAProxy' : 'replica';
      return { startedAt, ms: reply.ms, failure: `HTTP ${reply.status} from ${source}`, next: null };
    }
    const json = JSON.parse(reply.body?.toString() ?? '');
    const code = json.errors?.[0]?.extensions?.code;
    const page = json.data?.clients;
    return {
      startedAt,
      ms: reply.ms,
      failure: code ? `GraphQL ${code}` : undefined,
      next: page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { startedAt, ms: performance.now() - startedAt, failure: `network ${code}`, next: null };
  }
}

function figures(phase: string, samples: Sample[], from: number, to: number): PhaseFigures {
  const inPhase = samples.filter((sample) => sample.startedAt >= from && sample.startedAt < to);
  const ms = inPhase.map((sample) => sample.ms);
  const seconds = (to - from) / 1000;
  return {
    phase,
    seconds: Math.round(seconds * 10) / 10,
    requests: inPhase.length,
    failed: inPhase.filter((sample) => sample.failure).length,
    perSecond: Math.round(inPhase.length / seconds),
    p50Ms: Math.round(percentile(ms, 50) * 10) / 10,
    p99Ms: Math.round(percentile(ms, 99) * 10) / 10,
    maxMs: Math.round(Math.max(...ms)),
  };
}

async function isReady(replica: ServiceProcess): Promise<boolean> {
  try {
    return (await fetch(`${replica.url}/.well-known/ready`)).ok;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
