import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from '../test/helpers/cleanup.js';
import { runCallers } from './lib/callers.js';
import { benchDatabase } from './lib/database.js';
import { postOperation } from './lib/http.js';
import { sampleUsage } from './lib/process-usage.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startReadyService } from './lib/servers.js';
import { type BenchRow, ms, ratio } from './lib/table.js';

/**
 * What tracing costs on small pages: `first: 20` with every nested field from 32 callers, with
 * tracing off, then on exporting to a local OTLP/HTTP receiver (protobuf, JSON, then protobuf with
 * 1 trace in 10 kept), one after the other in one run; with the service's CPU time per request.
 * Usage: npm run bench:tracing   (TRACING_SECONDS, default 10 per mode)
 */
const seconds = Number(process.env.TRACING_SECONDS ?? 10);
const callers = 32;
const pageQuery = clientsQuery(20);

/** A collector stand-in on this machine: takes OTLP/HTTP exports and counts their bytes, decoding nothing. */
async function startReceiver(cleanup: Cleanup) {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' });
      response.end(request.headers['content-type'] === 'application/json' ? '{}' : '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => bytes };
}

export async function measureTracing(): Promise<BenchRow[]> {
  const databaseUrl = benchDatabase(40_000, 'full');
  const cleanup = createCleanup();
  const rows: BenchRow[] = [];
  const benchmark = `tracing: first: 20 nested, ${callers} callers, ${seconds} s`;
  try {
    const receiver = await startReceiver(cleanup);
    const modes: [string, Record<string, string>][] = [
      ['off', { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' }],
      [
        'on, http/protobuf',
        { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
      ],
      ['on, http/json', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }],
      [
        'on, 10% sampled',
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.1',
        },
      ],
    ];
    let off: Awaited<ReturnType<typeof runCallers>> | undefined;
    for (const [mode, env] of modes) {
      process.stderr.write(`tracing: ${mode}\n`);
      const stop = createCleanup();
      try {
        const service = await startReadyService(stop, { DATABASE_URL: databaseUrl, ...env });
        const call = () => postOperation(service.url, pageQuery);
        await runCallers(callers, 2000, call);
        const before = receiver.received();
        const usage = sampleUsage(service.child.pid ?? 0);
        const result = await runCallers(callers, seconds * 1000, call);
        // CPU per request of the whole service (every thread): steadier than req/s on a shared machine.
        const cpuMs = (usage.stop().cpuCores * seconds * 1000) / result.requests;
        const exported = (receiver.received() - before) / seconds / 1024;
        off ??= result;
        const measured =
          `${result.perSecond.toFixed(0)} req/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ${ms(cpuMs)} CPU/req` +
          `${result.failed ? `, ${result.failed} failed` : ''}${mode === 'off' ? '' : `, ${exported.toFixed(0)} KB/s exported`}`;
        rows.push({
          benchmark,
          case: mode === 'off' ? 'off' : `${mode} / off (req/s)`,
          measured,
          ratio: ratio(result.perSecond / off.perSecond),
          target: '-',
        });
      } finally {
        await stop.run();
      }
    }
  } finally {
    await cleanup.run();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table(await measureTracing());
