import { type ExecutionResult, parse } from 'graphql';
import type { ClientPageQuery, DataSource } from '../src/data/data-source.js';
import type { SeedProfile } from '../src/data/generate.js';
import { openDataSource } from '../src/data/open-data-source.js';
import { createCompiledExecutor } from '../src/executor/execute-compiled.js';
import { createEdgesPlanner, type EdgesPlan, readClientEdges } from '../src/planner/index.js';
import { planInputOf } from '../src/planner/plan-input.js';
import { schema } from '../src/schema/index.js';
import { timed } from './export.js';
import { benchDatabase, benchPostgresDatabase } from './lib/database.js';
import { clientsQuery } from './lib/queries.js';
import { type BenchRow, ms, ratio } from './lib/table.js';

/**
 * The database writes the JSON (issue 12): the edges of the warm 40,000-client every-field
 * export produced by the planner's SQL (in slices of SLICE_ROWS, joined into one text) against
 * JSON.stringify of the same response object already in memory (the floor) and against
 * today's executor (graphql-jit, then JSON.stringify), in this process, per backend. Then a
 * `first: 20` page with every field: its edges in one statement against the whole page
 * through the executor. Medians of EXPORT_RUNS (3) and SMALL_PAGE_RUNS (200), after a warm-up.
 * Usage: npm run bench:planned-edges   (BACKENDS=sqlite,postgres PROFILES=full,seed)
 */
const runs = Number(process.env.EXPORT_RUNS ?? 3);
const smallPageRuns = Number(process.env.SMALL_PAGE_RUNS ?? 200);
const sliceRows = Number(process.env.SLICE_ROWS ?? 2000);
const pageSizes = { defaultSize: 20, maxSize: 40_000 };

/** The page's edges as the planner writes them, slice after slice, as the worker will stream them. */
async function plannedEdges(dataSource: DataSource, plan: EdgesPlan, limit: number): Promise<string> {
  const slices: string[] = [];
  let after: ClientPageQuery['after'];
  for (let read = 0; read < limit; ) {
    const edges: string[] = [];
    const query = {
      order: 'ID_ASC' as const,
      filter: {},
      after,
      limit: Math.min(sliceRows, limit - read),
      fromEnd: false,
    };
    for await (const batch of readClientEdges(dataSource, plan, query)) {
      for (const edge of batch) edges.push(edge.json);
      after = batch.at(-1)?.key ?? after;
    }
    if (edges.length === 0) break;
    read += edges.length;
    slices.push(edges.join(','));
  }
  return `[${slices.join(',')}]`;
}

async function measure(backend: string, profile: SeedProfile): Promise<BenchRow[]> {
  const url = backend === 'sqlite' ? benchDatabase(40_000, profile) : await benchPostgresDatabase(40_000, profile);
  const dataSource = openDataSource(url, { poolSize: 2, statementTimeoutMs: 600_000 });
  const execute = createCompiledExecutor();
  const planner = createEdgesPlanner(pageSizes);
  const run = async (query: string) =>
    (await execute({
      schema,
      document: parse(query),
      query,
      contextValue: { dataSource, pageSizes },
    })) as ExecutionResult;
  const planOf = (query: string) => {
    const input = planInputOf(schema, parse(query));
    const plan = input && planner(input);
    if (!plan) throw new Error(`not planned: ${query}`);
    return plan;
  };
  try {
    const exportQuery = clientsQuery(40_000);
    const exportPlan = planOf(exportQuery);
    process.stderr.write(`planned edges (${backend}, ${profile}): timing\n`);
    // First, while the heap is small as in a worker: the executor's result would make every GC dearer.
    const planned = await timed(() => plannedEdges(dataSource, exportPlan, 40_000), runs);
    const edgesText = await plannedEdges(dataSource, exportPlan, 40_000);
    let result: ExecutionResult | undefined = await run(exportQuery);
    const body = JSON.stringify(result);
    if (body !== `{"data":{"clients":{"edges":${edgesText}}}}`)
      throw new Error(`${backend}: the planner's bytes differ`);
    const floor = await timed(() => JSON.stringify(result), runs);
    result = undefined;
    const executor = await timed(async () => JSON.stringify(await run(exportQuery)), runs);

    const smallQuery = clientsQuery(20);
    const smallPlan = planOf(smallQuery);
    const smallPlanned = await timed(() => plannedEdges(dataSource, smallPlan, 20), smallPageRuns);
    const smallExecutor = await timed(async () => JSON.stringify(await run(smallQuery)), smallPageRuns);

    const benchmark = `planned edges, ${backend}, ${profile} (${(body.length / 1e6).toFixed(1)} MB)`;
    return [
      { benchmark, case: 'floor: JSON.stringify of the response', measured: ms(floor), ratio: '1.00x', target: '-' },
      {
        benchmark,
        case: `planner SQL, slices of ${sliceRows} / floor`,
        measured: ms(planned),
        ratio: ratio(planned / floor),
        target: backend === 'sqlite' ? '<= 2x (3x at most)' : 'reported',
      },
      {
        benchmark,
        case: 'executor + stringify / floor',
        measured: ms(executor),
        ratio: ratio(executor / floor),
        target: '-',
      },
      {
        benchmark,
        case: 'first: 20 every field: executor page / planner edges',
        measured: `${ms(smallExecutor)} vs ${ms(smallPlanned)}`,
        ratio: ratio(smallExecutor / smallPlanned),
        target: '> 1x',
      },
    ];
  } finally {
    await dataSource.close();
  }
}

/** Every backend and profile asked for, one after the other. */
export async function measurePlannedEdges(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const profile of (process.env.PROFILES ?? 'full,seed').split(',') as SeedProfile[]) {
    for (const backend of (process.env.BACKENDS ?? 'sqlite,postgres').split(',')) {
      rows.push(...(await measure(backend, profile)));
    }
  }
  return rows;
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.table(await measurePlannedEdges());
