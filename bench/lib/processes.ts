import { spawn } from 'node:child_process';
import type { Cleanup } from '../../test/helpers/cleanup.js';

/** Collects cleanups and runs them last-in first-out. */
export function createCleanup(): Cleanup & { run(): Promise<void> } {
  const steps: (() => unknown)[] = [];
  return {
    after: (fn) => steps.push(fn),
    async run() {
      for (const step of steps.reverse()) await step();
      steps.length = 0;
    },
  };
}

/** Runs a bench script in its own process and parses the JSON it prints. */
export function runJsonScript<T>(script: string, args: string[]): Promise<T> {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as T) : reject(new Error(`${script}: ${code}`)),
    );
  });
}
