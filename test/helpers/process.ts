import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Cleanup } from './cleanup.js';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far (pino JSON). */
  lines: string[];
}

const mainFile = new URL('../../src/main.js', import.meta.url);

/**
 * Starts `node dist/src/main.js` (or another server script that logs `{"msg":"listening","port":N}`)
 * as its own process, as `npm start` would; resolves once it listens.
 */
export async function spawnService(
  t: Cleanup,
  env: Record<string, string>,
  command: string[] = [mainFile.pathname],
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, command, {
    // The 'listening' line at info level is how the caller learns the port.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === 'listening' && parsed.port) resolve(parsed.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited early with code ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, lines };
}

/** Polls until `check` passes or `timeoutMs` runs out. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
