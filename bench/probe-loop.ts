import { get } from 'node:http';

/**
 * A Kubernetes-like liveness prober in its own process, so the load generator never delays
 * it: sequential GET /.well-known/live with a 1 s timeout, for a fixed time. Prints JSON.
 * Usage: node probe-loop.js <url> <milliseconds>
 */
const [url, durationArg] = process.argv.slice(2);
const duration = Number(durationArg);
const timeoutMs = 1000;

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
while (performance.now() - started < duration) {
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
