import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { responseMediaType } from '../../src/server/response-media-type.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 3000);
const server = startTestServer({ after }, { DATABASE_URL: database.url, MAX_PAGE_SIZE: '3000', SLICE_SIZE: '100' });

/** A raw exchange: the bytes as sent (nothing decoded), and the headers. */
function post(query: string, headers: Record<string, string>) {
  return server.then(
    ({ url }) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
        (resolve, reject) => {
          const req = request(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
          });
          req.on('response', (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
            );
            response.on('error', reject);
          });
          req.on('error', reject);
          req.end(JSON.stringify({ query }));
        },
      ),
  );
}

const decoded = (body: Buffer, encoding: unknown) =>
  encoding === 'gzip' ? gunzipSync(body) : encoding === 'br' ? brotliDecompressSync(body) : body;

const queries = {
  'small page': '{ clients(first: 2) { edges { node { databaseId } } } }',
  'page over 1 KB': '{ clients(first: 40) { edges { cursor node { id str1 str2 } } } }',
  'page sent in slices': '{ clients(first: 3000) { edges { cursor node { id str1 address { str2 } } } } }',
  'an error': '{ clients(first: 2, after: "nonsense") { edges { node { id } } } }',
};

for (const [name, query] of Object.entries(queries)) {
  test(`${name}: every media type yoga negotiates carries the same JSON, compressed only where it may be`, async () => {
    const reference = await post(query, { accept: 'application/json' });
    const json = reference.body.toString();
    JSON.parse(json);
    for (const encoding of ['', 'gzip', 'br', 'gzip, br']) {
      for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
        const reply = await post(query, { accept, 'accept-encoding': encoding });
        const label = `${accept} / ${encoding || 'identity'}`;
        assert.equal(reply.headers['content-type'], `${responseMediaType(accept)}; charset=utf-8`, label);
        assert.equal(decoded(reply.body, reply.headers['content-encoding']).toString(), json, label);
      }
      const events = await post(query, { accept: 'text/event-stream', 'accept-encoding': encoding });
      assert.equal(events.status, 200);
      assert.equal(events.headers['content-type'], 'text/event-stream');
      assert.notEqual(events.headers['content-encoding'], 'gzip');
      assert.notEqual(events.headers['content-encoding'], 'br');
      assert.equal(events.body.toString(), `:\n\nevent: next\ndata: ${json}\n\nevent: complete\ndata:\n\n`);

      const multipart = await post(query, { accept: 'multipart/mixed', 'accept-encoding': encoding });
      assert.equal(multipart.headers['content-type'], 'multipart/mixed; boundary="-"');
      assert.equal(multipart.headers['content-encoding'], undefined);
      const text = multipart.body.toString();
      const [, head = '', part = ''] = /^\r\n---\r\n(.*?)\r\n\r\n(.*)\r\n-----\r\n$/s.exec(text) ?? [];
      assert.match(head, /^Content-Type: application\/json; charset=utf-8/, text.slice(0, 200));
      const length = /Content-Length: (\d+)/.exec(head)?.[1];
      if (length) assert.equal(Number(length), Buffer.byteLength(part));
      assert.equal(part, json);
    }
  });
}

test('an Accept that no processor serves answers 406, as yoga does', async () => {
  const reply = await post(queries['small page'], { accept: 'text/html' });
  assert.equal(reply.status, 406);
});

test('the media type mirror picks what yoga picks for every Accept header tried', async () => {
  const headers = [
    'application/json, text/event-stream',
    'text/event-stream, application/json',
    'multipart/mixed, application/graphql-response+json',
    'application/graphql-response+json; charset=utf-8, application/json; q=0.9',
    'application/json; charset=iso-8859-1, multipart/mixed',
    'text/*',
    'application/*',
    '*/*',
  ];
  for (const accept of headers) {
    // A validation error is answered by yoga's own processors: compare their pick with ours.
    const yoga = await post('{ nosuchfield }', { accept });
    const ours = await post(queries['small page'], { accept });
    const type = (value: unknown) => String(value).split(';')[0];
    assert.equal(type(ours.headers['content-type']), type(yoga.headers['content-type']), accept);
    assert.equal(type(ours.headers['content-type']), responseMediaType(accept), accept);
  }
});
