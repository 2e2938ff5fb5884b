import { percentile, type Reply } from './http.js';

export interface CallerStats {
  /** Replies with status 200. */
  requests: number;
  perSecond: number;
  /** Latency percentiles of the 200 replies only: a fast refusal (503) is no page served. */
  p50: number;
  p99: number;
  /** Replies with a status other than 200, counted apart. */
  failed: number;
  /** `failed` by status, e.g. `503 x 12`; '' when none failed. */
  failures: string;
}

/** Runs `count` callers, each sending `call()` one after the other, for `ms`; latency figures in ms. */
export async function runCallers(count: number, ms: number, call: () => Promise<Reply>): Promise<CallerStats> {
  const replies: Reply[] = [];
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (performance.now() < deadline) replies.push(await call());
    }),
  );
  const served = replies.filter((reply) => reply.status === 200);
  const latencies = served.map((reply) => reply.ms);
  const byStatus = new Map<number, number>();
  for (const reply of replies)
    if (reply.status !== 200) byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
  return {
    requests: served.length,
    perSecond: served.length / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: replies.length - served.length,
    failures: [...byStatus].map(([status, count]) => `${status} x ${count}`).join(', '),
  };
}
