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

/** The p-th percentile (0-100) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
