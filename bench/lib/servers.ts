import type { Cleanup } from '../../test/helpers/cleanup.js';
import { type ServiceProcess, spawnService, waitFor } from '../../test/helpers/process.js';

/** Starts the service (`node dist/src/main.js`) with some settings; resolves once it is ready. */
export async function startReadyService(cleanup: Cleanup, env: Record<string, string>): Promise<ServiceProcess> {
  const service = await spawnService(cleanup, env);
  await waitFor(async () => (await fetch(`${service.url}/.well-known/ready`)).ok, 120_000);
  return service;
}

/** Starts the @envelop/graphql-jit peer (bench/peer-server.ts) on the same database, or on its rows loaded into memory. */
export function startJitPeer(
  cleanup: Cleanup,
  databaseUrl: string,
  maxPageSize: number,
  where: 'database' | 'memory' = 'database',
): Promise<ServiceProcess> {
  return spawnService(cleanup, {}, [
    new URL('../peer-server.js', import.meta.url).pathname,
    databaseUrl,
    String(maxPageSize),
    where,
  ]);
}
