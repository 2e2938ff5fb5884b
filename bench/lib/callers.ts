import { percentile, type Reply } from './http.js';

export interface CallerStats {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Replies with a status other than 200. */
  failed: number;
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
  const latencies = replies.map((reply) => reply.ms);
  return {
    requests: replies.length,
    perSecond: replies.length / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: replies.filter((reply) => reply.status !== 200).length,
  };
}
