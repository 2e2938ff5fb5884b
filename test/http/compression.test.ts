import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { negotiateEncodings } from '../../src/server/accept-encoding.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 30);
const server = await startTestServer({ after }, { DATABASE_URL: database.url, EXECUTOR: 'workers' });

interface RawReply {
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** POSTs with a given Accept-Encoding and answers the bytes as sent (fetch would decode them). */
function postRaw(query: string, acceptEncoding: string): Promise<RawReply> {
  const payload = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/graphql`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const page = '{ clients(first: 20) { edges { cursor node { id str1 str2 address { str1 } } } } }';
const small = '{ clients(first: 1) { totalCount } }';
const decoders = { gzip: gunzipSync, br: brotliDecompressSync };

test('a large body comes compressed with the negotiated coding and decodes to the plain body', async () => {
  const plain = await postRaw(page, 'identity');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.bytes.length > 1024);
  for (const [acceptEncoding, coding] of [
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['*', 'br'],
  ] as const) {
    const reply = await postRaw(page, acceptEncoding);
    assert.equal(reply.headers['content-encoding'], coding, acceptEncoding);
    assert.equal(reply.headers.vary, 'Accept-Encoding');
    assert.equal(Number(reply.headers['content-length']), reply.bytes.length);
    assert.ok(reply.bytes.length < plain.bytes.length / 2);
    assert.equal(decoders[coding](reply.bytes).toString(), plain.bytes.toString());
  }
});

test('a body under 1 KB, or a caller that accepts no coding we have, gets the plain body', async () => {
  const tiny = await postRaw(small, 'gzip, br');
  assert.equal(tiny.headers['content-encoding'], undefined);
  assert.equal(tiny.headers.vary, 'Accept-Encoding');
  assert.deepEqual(JSON.parse(tiny.bytes.toString()).data, { clients: { totalCount: 30 } });
  for (const acceptEncoding of ['', 'deflate', 'br;q=0, gzip;q=0']) {
    const reply = await postRaw(page, acceptEncoding);
    assert.equal(reply.headers['content-encoding'], undefined, acceptEncoding);
    assert.ok(JSON.parse(reply.bytes.toString()).data.clients.edges.length === 20);
  }
});

test('Accept-Encoding negotiation follows q-values and prefers br on a tie; bodies sent in slices use gzip', () => {
  assert.deepEqual(negotiateEncodings(undefined), {});
  assert.deepEqual(negotiateEncodings('gzip;q=0.8, br;q=0.9'), { whole: 'br', streamed: 'gzip' });
  assert.deepEqual(negotiateEncodings('GZIP'), { whole: 'gzip', streamed: 'gzip' });
  assert.deepEqual(negotiateEncodings('*;q=0.1, br;q=0'), { whole: 'gzip', streamed: 'gzip' });
  assert.deepEqual(negotiateEncodings('identity, *;q=0'), {});
  assert.deepEqual(negotiateEncodings('br;q=nonsense, gzip;q=0.2'), { whole: 'gzip', streamed: 'gzip' });
  assert.deepEqual(negotiateEncodings('br'), { whole: 'br' });
});
