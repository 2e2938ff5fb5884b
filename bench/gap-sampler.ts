import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * Main-thread event-loop gaps of the process this module is preloaded into:
 *   NODE_OPTIONS="--import ./dist/bench/gap-sampler.js" node dist/src/main.js
 * A timer fires every GAP_INTERVAL_MS (default 1); whenever two firings lie more than
 * GAP_REPORT_MS (default 15) apart, a JSON line `{"gapMs":..,"endedAt":<epoch ms>}` is appended
 * to GAP_FILE (default: standard error). Worker threads load it too and do nothing.
 * `GAP_SAMPLER=1 npm run bench:probes` preloads it into the servers it measures.
 */
if (isMainThread) {
  const intervalMs = Number(process.env.GAP_INTERVAL_MS ?? 1);
  const reportMs = Number(process.env.GAP_REPORT_MS ?? 15);
  const file = process.env.GAP_FILE;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > reportMs) {
      const line = `${JSON.stringify({ gapMs: Math.round((now - last) * 10) / 10, endedAt: Date.now() })}\n`;
      if (file) appendFileSync(file, line);
      else process.stderr.write(line);
    }
    last = now;
  }, intervalMs).unref();
}
