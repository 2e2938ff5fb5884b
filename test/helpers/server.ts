import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/service.js';
import type { Cleanup } from './cleanup.js';

export interface TestServer extends Service {
  /** POSTs an operation; answers the status, the raw body and its parsed JSON. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLReply>;
}

export interface GraphQLReply {
  status: number;
  headers: Headers;
  contentType: string | null;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response JSON by path
  json: any;
}

/** A real server on port 0 in this process, with a real worker pool unless EXECUTOR=inline. */
export async function startTestServer(t: Cleanup, env: Record<string, string>): Promise<TestServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', WORKERS: '1', ...env });
  const service = await startService(config, createLogger('silent'));
  t.after(() => service.close());
  return {
    ...service,
    graphql: (query, variables, headers) => postGraphQL(service.url, query, variables, headers),
  };
}

/** The one error an operation must answer with (fails the test otherwise). */
export async function onlyError(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ message: string; extensions: { code: string } }> {
  const reply = await server.graphql(query, variables);
  assert.equal(reply.json.errors?.length, 1, reply.text);
  return reply.json.errors[0];
}

export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLReply> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type'),
    text,
    json,
  };
}
