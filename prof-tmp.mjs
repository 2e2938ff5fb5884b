import { parse } from 'graphql';
import { createCompiledExecutor } from './dist/src/executor/execute-compiled.js';
import { schema } from './dist/src/schema/index.js';
import { openDataSource } from './dist/src/data/open-data-source.js';
import { clientsQuery } from './dist/bench/lib/queries.js';
const ds = openDataSource(`file:bench/.data/clients-40000-${process.argv[2] ?? 'full'}.db`);
const q = clientsQuery(40000); const document = parse(q);
const exec = createCompiledExecutor();
for (let i = 0; i < 4; i++) {
  const s = performance.now(); const c = process.cpuUsage();
  const r = await exec({ schema, document, query: q, contextValue: { dataSource: ds, pageSizes: { defaultSize: 20, maxSize: 40000 } } });
  const m = performance.now(); const cu = process.cpuUsage(c); const gcs = globalThis.gcTime;
  JSON.stringify(r);
  console.log('exec', (m - s).toFixed(0), 'cpu', ((cu.user+cu.system)/1000).toFixed(0), 'stringify', (performance.now() - m).toFixed(0));
}
