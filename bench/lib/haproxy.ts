import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Cleanup } from '../../test/helpers/cleanup.js';
import { freePort } from './ports.js';

export interface HaproxyOptions {
  /** Backend servers as `127.0.0.1:port`. */
  servers: string[];
  /** Health check path and interval, as a Kubernetes readiness probe (path, periodSeconds). */
  checkPath: string;
  checkIntervalMs: number;
  /** Where the configuration and the stats socket go. */
  folder: string;
}

export interface Haproxy {
  url: string;
  /** Each backend server's state as HAProxy sees it (`UP`, `DOWN`, ...), in order. */
  states(): Promise<string[]>;
}

/** True when the `haproxy` binary (Debian package `haproxy`) can run. */
export function haproxyInstalled(): boolean {
  return spawnSync('haproxy', ['-v']).status === 0;
}

/**
 * Runs HAProxy in front of the servers the way a Kubernetes Service follows readiness: a server
 * takes traffic only while its health check passes (one failure takes it out, one success puts
 * it back). Requests are not retried, as kube-proxy does not retry them either.
 */
export async function startHaproxy(t: Cleanup, options: HaproxyOptions): Promise<Haproxy> {
  const port = await freePort();
  const socket = join(options.folder, 'haproxy.sock');
  const config = join(options.folder, 'haproxy.cfg');
  writeFileSync(
    config,
    `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin
defaults
  mode http
  retries 0
  timeout connect 1s
  timeout client 120s
  timeout server 120s
frontend clients
  bind 127.0.0.1:${port}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk
  http-check send meth GET uri ${options.checkPath}
  http-check expect status 200
  default-server check inter ${options.checkIntervalMs}ms fall 1 rise 1
${options.servers.map((server, i) => `  server replica${i} ${server}`).join('\n')}
`,
  );
  // Its stderr reports every server going down and up: kept for the error if it fails to start.
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let messages = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    messages = (messages + chunk.toString()).slice(-4000);
  });
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  const haproxy = { url: `http://127.0.0.1:${port}`, states: () => serverStates(socket) };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await haproxy.states();
      return haproxy;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`haproxy did not start: ${messages}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function serverStates(socket: string): Promise<string[]> {
  const connection = connect(socket);
  let output = '';
  connection.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  connection.end('show stat\n');
  await once(connection, 'close');
  const [header, ...rows] = output.trim().split('\n');
  const columns = (header ?? '').replace(/^# /, '').split(',');
  const name = columns.indexOf('svname');
  const status = columns.indexOf('status');
  return rows
    .map((row) => row.split(','))
    .filter((cells) => cells[name]?.startsWith('replica'))
    .map((cells) => cells[status] ?? '');
}
