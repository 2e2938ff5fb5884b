import { get } from 'node:http';

/**
 * A Kubernetes-like liveness prober in its own process, so the load generator never delays
 * it: sequential GET /.well-known/live with a 1 s timeout, until the parent sends 'stop'
 * (or `maxMilliseconds` pass). Prints its findings as JSON.
 * Usage: node probe-loop.js <url> <maxMilliseconds>
 */
const [url, maxArg] = process.argv.slice(2);
const maxMs = Number(maxArg);
const timeoutMs = 1000;
let stopped = false;
process.on('message', (message) => {
  if (message === 'stop') stopped = true;
});

function probe(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${url}/.well-known/live`, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

const started = performance.now();
const completions: number[] = [];
const latencies: number[] = [];
let timeouts = 0;
while (!stopped && performance.now() - started < maxMs) {
  const before = performance.now();
  const ok = await probe();
  const after = performance.now();
  if (ok) {
    completions.push(after - started);
    latencies.push(after - before);
  } else {
    timeouts++;
  }
}
process.stdout.write(JSON.stringify({ duration: performance.now() - started, completions, latencies, timeouts }));
process.disconnect?.();
