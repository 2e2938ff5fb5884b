import { spawnService, waitFor } from '../test/helpers/process.js';
import { benchDatabase, benchPostgresDatabase } from './lib/database.js';
import { percentile, postOperation } from './lib/http.js';
import { sampleUsage } from './lib/process-usage.js';
import { createCleanup } from './lib/processes.js';

/**
 * What one pod needs: memory (RSS of the whole process) and CPU, idle and under load, for the
 * figures the Kubernetes requests and limits are sized from. The database: 40,000 full clients on
 * PostgreSQL (as deployed; see bench/lib/database.ts), or BACKEND=sqlite. Per case: start the service,
 * sample RSS after warm-up, then run CALLERS (default 8) callers paging through 40,000 full
 * clients with first: 100 and every field for LOAD_SECONDS (default 15), sampling RSS every
 * 100 ms; the export case adds 2 callers exporting all 40,000 clients (MAX_PAGE_SIZE=40000).
 * Usage: npm run bench:sizing
 */
const loadMs = Number(process.env.LOAD_SECONDS ?? 15) * 1000;
const callers = Number(process.env.CALLERS ?? 8);

const allFields = `id databaseId str1 str2 str3 str4 str5 str6 str7 str8
  address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 }
  bankAccounts { edges { cursor node { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 str9 str10
    str12 str13 str14 str15 str16 address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 } } } }`;
const pageQuery = `query ($after: String) { clients(first: 100, after: $after) {
  edges { cursor node { ${allFields} } } pageInfo { hasNextPage endCursor } } }`;
const exportQuery = `{ clients(first: 40000) { edges { cursor node { ${allFields} } } } }`;

interface Case {
  name: string;
  env: Record<string, string>;
  exporters: number;
}

// The Deployment's shape first.
const cases: Case[] = [
  { name: 'WORKERS=1, paging', env: { WORKERS: '1' }, exporters: 0 },
  { name: 'WORKERS=2, paging', env: { WORKERS: '2' }, exporters: 0 },
  { name: 'WORKERS=1, paging + 2 exports', env: { WORKERS: '1', MAX_PAGE_SIZE: '40000' }, exporters: 2 },
  { name: 'WORKERS=2, paging + 2 exports', env: { WORKERS: '2', MAX_PAGE_SIZE: '40000' }, exporters: 2 },
];

async function run(databaseUrl: string, { name, env, exporters }: Case) {
  const cleanup = createCleanup();
  try {
    const service = await spawnService(cleanup, { DATABASE_URL: databaseUrl, REQUEST_TIMEOUT_MS: '120000', ...env });
    await waitFor(async () => (await fetch(`${service.url}/.well-known/ready`)).ok, 60_000);
    const pid = service.child.pid ?? 0;
    const usage = sampleUsage(pid);
    const deadline = performance.now() + loadMs;
    const pageMs: number[] = [];
    let failed = 0;
    const pager = async () => {
      let after: string | null = null;
      while (performance.now() < deadline) {
        const reply = await postOperation(service.url, pageQuery, { after }, true);
        if (reply.status !== 200) failed++;
        pageMs.push(reply.ms);
        const page = JSON.parse(reply.body?.toString() ?? '{}').data?.clients;
        after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      }
    };
    let exports = 0;
    const exporter = async () => {
      while (performance.now() < deadline) {
        if ((await postOperation(service.url, exportQuery)).status === 200) exports++;
        else failed++;
      }
    };
    await Promise.all([...Array.from({ length: callers }, pager), ...Array.from({ length: exporters }, exporter)]);
    const seconds = loadMs / 1000;
    return {
      case: name,
      ...usage.stop(),
      pagesPerSecond: Math.round(pageMs.length / seconds),
      pageP50Ms: Math.round(percentile(pageMs, 50)),
      pageP99Ms: Math.round(percentile(pageMs, 99)),
      exports,
      failed,
    };
  } finally {
    await cleanup.run();
  }
}

const databaseUrl =
  process.env.BACKEND === 'sqlite' ? benchDatabase(40_000, 'full') : await benchPostgresDatabase(40_000, 'full');
const rows = [];
for (const one of cases) rows.push(await run(databaseUrl, one));
process.stdout.write(
  `${databaseUrl.split(':')[0]}: ${callers} callers paging first: 100 with every field, ${loadMs / 1000} s per case\n`,
);
console.table(rows);
