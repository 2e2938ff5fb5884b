import { get } from 'node:http';

/**
 * A Kubernetes-like liveness prober in its own process, so the load generator never delays
 * it: sequential GET /.well-known/live with a 1 s timeout, until the parent sends 'stop'
 * (or `maxMilliseconds` pass); 'mark' makes it count from then on. Prints its findings as JSON: `timeouts` counts only probes with
 * no answer within 1 s; an answer other than 200 is counted in `failedStatuses` (by status),
 * a connection error in `errors`. Kubernetes fails a probe for each of them.
 * Usage: node probe-loop.js <url> <maxMilliseconds>
 */
const [url, maxArg] = process.argv.slice(2);
const maxMs = Number(maxArg);
const timeoutMs = 1000;
let stopped = false;
// 'mark': count from now on (the prober runs before the load, as a kubelet does, not starting cold with it).
let marked = false;
process.on('message', (message) => {
  if (message === 'stop') stopped = true;
  if (message === 'mark') marked = true;
});

type Outcome = { status: number } | 'timeout' | 'error';

function probe(): Promise<Outcome> {
  return new Promise((resolve) => {
    let timedOut = false;
    const req = get(`${url}/.well-known/live`, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    });
    req.on('error', () => resolve(timedOut ? 'timeout' : 'error'));
  });
}

let started = performance.now();
const completions: number[] = [];
const latencies: number[] = [];
let timeouts = 0;
let errors = 0;
const failedStatuses: Record<number, number> = {};
while (!stopped && performance.now() - started < maxMs) {
  if (marked) {
    marked = false;
    started = performance.now();
    completions.length = 0;
    latencies.length = 0;
    timeouts = 0;
    errors = 0;
    for (const status of Object.keys(failedStatuses)) delete failedStatuses[Number(status)];
  }
  const before = performance.now();
  const outcome = await probe();
  const after = performance.now();
  if (outcome === 'timeout') timeouts++;
  else if (outcome === 'error') errors++;
  else if (outcome.status !== 200) failedStatuses[outcome.status] = (failedStatuses[outcome.status] ?? 0) + 1;
  else {
    completions.push(after - started);
    latencies.push(after - before);
  }
}
process.stdout.write(
  JSON.stringify({ duration: performance.now() - started, completions, latencies, timeouts, errors, failedStatuses }),
);
process.disconnect?.();
