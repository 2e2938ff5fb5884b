import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  bytes: number;
  ms: number;
  /** Time until the first body bytes arrived. */
  firstByteMs: number;
  /** The body, only when asked for (the load callers just count bytes). */
  body?: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs a GraphQL operation; counts the body instead of decoding it, to keep the caller cheap. */
export function postOperation(
  url: string,
  query: string,
  variables: object = {},
  keepBody = false,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const started = performance.now();
  const payload = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        let bytes = 0;
        let firstByteMs = Number.NaN;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (bytes === 0) firstByteMs = performance.now() - started;
          bytes += chunk.length;
          if (keepBody) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            ms: performance.now() - started,
            firstByteMs,
            body: keepBody ? Buffer.concat(chunks) : undefined,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The `data` of a reply that is a whole success: HTTP 200 and no GraphQL errors in the body.
 * Throws otherwise, so a failed page is never timed as a page.
 */
export function dataOf(reply: Reply): Record<string, unknown> {
  const result = reply.body ? (JSON.parse(reply.body.toString('utf8')) as { data?: unknown; errors?: unknown[] }) : {};
  if (reply.status !== 200 || result.errors || !result.data) {
    const codes = (result.errors ?? []).map((error) => (error as { extensions?: { code?: string } }).extensions?.code);
    throw new Error(`the operation failed: HTTP ${reply.status}, errors ${JSON.stringify(codes)}`);
  }
  return result.data as Record<string, unknown>;
}

/** The p-th percentile (0-100) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
