import pg from 'pg';

export interface DatabaseWatch {
  stop(): Promise<void>;
}

/**
 * Checks every `intervalMs` that PostgreSQL answers `SELECT 1` over one connection of its
 * own, and reports each change (null when it answers, the reason when it does not), so
 * readiness follows the database without a query per probe.
 */
export function watchPostgres(
  url: string,
  intervalMs: number,
  onChange: (problem: string | null) => void,
): DatabaseWatch {
  let client: pg.Client | null = null;
  let problem: string | null = null;
  let stopped = false;

  async function check(): Promise<void> {
    try {
      if (!client) {
        const connecting = new pg.Client({
          connectionString: url,
          connectionTimeoutMillis: intervalMs,
          query_timeout: intervalMs,
          fallback_application_name: 'clients-query-service readiness',
        });
        connecting.on('error', () => {});
        client = connecting;
        await connecting.connect();
      }
      await client.query('SELECT 1');
      report(null);
    } catch (error) {
      const broken = client;
      client = null;
      await broken?.end().catch(() => {});
      report(`database unreachable: ${(error as Error).message || String(error)}`);
    }
  }

  function report(next: string | null) {
    if (next === problem || stopped) return;
    problem = next;
    onChange(problem);
  }

  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = check();
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await client?.end().catch(() => {});
    },
  };
}
