import { normalizedExecutor } from '@graphql-tools/executor';
import { type ExecutionResult, parse } from 'graphql';
import type { SeedProfile } from '../src/data/generate.js';
import { openDataSource } from '../src/data/open-data-source.js';
import { createCompiledExecutor } from '../src/executor/execute-compiled.js';
import { schema } from '../src/schema/index.js';
import { benchDatabase } from './lib/database.js';
import { postOperation } from './lib/http.js';
import { createCleanup } from './lib/processes.js';
import { clientsQuery } from './lib/queries.js';
import { startJitPeer, startReadyService } from './lib/servers.js';
import { type BenchRow, median, ms, ratio } from './lib/table.js';

const runs = Number(process.env.EXPORT_RUNS ?? 3);
const exportQuery = clientsQuery(40_000);

/** Milliseconds of the median of `runs` calls, after one call to warm up. */
export async function timed(call: () => unknown, times = runs): Promise<number> {
  await call();
  const samples: number[] = [];
  for (let run = 0; run < times; run++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * The floor: JSON.stringify of the same response, already in memory as plain objects, in
 * this process. Also times it for graphql-js's own result (null-prototype objects).
 */
async function floors(databaseUrl: string): Promise<{ plain: number; graphqlJs: number }> {
  const dataSource = openDataSource(databaseUrl, { poolSize: 2, statementTimeoutMs: 600_000 });
  const contextValue = () => ({ dataSource, pageSizes: { defaultSize: 20, maxSize: 40_000 } });
  const document = parse(exportQuery);
  const plainResult = await createCompiledExecutor()({
    schema,
    document,
    query: exportQuery,
    contextValue: contextValue(),
  });
  const plain = await timed(() => JSON.stringify(plainResult), 5);
  const jsResult = (await normalizedExecutor({ schema, document, contextValue: contextValue() })) as ExecutionResult;
  const graphqlJs = await timed(() => JSON.stringify(jsResult), 5);
  if (JSON.stringify(jsResult) !== JSON.stringify(plainResult)) throw new Error('graphql-jit and graphql-js disagree');
  await dataSource.close();
  return { plain, graphqlJs };
}

/** Issue 12's peers: faster than the ones reading the database; on the seed's fields, than the one holding rows in memory too. */
function peerTarget(name: string, profile: SeedProfile): string {
  if (name.startsWith('workers')) return '-';
  return name.includes('memory') && profile !== 'seed' ? '-' : '> 1x';
}

/**
 * A warm 40,000-client export with every field, end to end over HTTP (last byte received),
 * against the floor, and against the peers: the same schema inline in yoga, with and without
 * @envelop/graphql-jit.
 */
export async function measureExport(profile: SeedProfile): Promise<BenchRow[]> {
  const databaseUrl = benchDatabase(40_000, profile);
  const floor = await floors(databaseUrl);
  const cleanup = createCleanup();
  const env = { DATABASE_URL: databaseUrl, MAX_PAGE_SIZE: '40000', REQUEST_TIMEOUT_MS: '600000' };
  const servers = [
    ['workers (this service)', () => startReadyService(cleanup, { ...env, EXECUTOR: 'workers' })],
    ['workers, PLANNER=false (the executor)', () => startReadyService(cleanup, { ...env, PLANNER: 'false' })],
    ['inline yoga + Pothos', () => startReadyService(cleanup, { ...env, EXECUTOR: 'inline' })],
    ['inline yoga + Pothos + @envelop/graphql-jit', () => startJitPeer(cleanup, databaseUrl, 40_000)],
    [
      'inline yoga + Pothos + @envelop/graphql-jit, rows held in memory',
      () => startJitPeer(cleanup, databaseUrl, 40_000, 'memory'),
    ],
  ] as const;
  const times: number[] = [];
  let bytes = 0;
  try {
    for (const [name, start] of servers) {
      process.stderr.write(`export (${profile}): ${name}\n`);
      const server = await start();
      times.push(
        await timed(async () => {
          const reply = await postOperation(server.url, exportQuery);
          if (reply.status !== 200) throw new Error(`${name}: status ${reply.status}`);
          bytes = reply.bytes;
        }),
      );
      await cleanup.run();
    }
  } finally {
    await cleanup.run();
  }
  const [ours = 0, ...peers] = times;
  const benchmark = `export 40,000 (${profile}, ${(bytes / 1e6).toFixed(1)} MB)`;
  return [
    { benchmark, case: 'floor: JSON.stringify, plain objects', measured: ms(floor.plain), ratio: '1.00x', target: '-' },
    {
      benchmark,
      case: 'JSON.stringify of the graphql-js result',
      measured: ms(floor.graphqlJs),
      ratio: ratio(floor.graphqlJs / floor.plain),
      target: '-',
    },
    {
      benchmark,
      case: `${servers[0][0]} / floor`,
      measured: ms(ours),
      ratio: ratio(ours / floor.plain),
      target: '<= 2x (3x at most)',
    },
    ...peers.map((peer, index) => ({
      benchmark,
      case: `${servers[index + 1]?.[0]} / ours`,
      measured: ms(peer),
      ratio: ratio(peer / ours),
      target: peerTarget(servers[index + 1]?.[0] ?? '', profile),
    })),
  ];
}
