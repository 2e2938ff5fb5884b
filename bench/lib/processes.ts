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

export interface JsonScript<T> {
  /** Asks the script to finish (IPC message 'stop'); resolves with the JSON it prints. */
  stop(): Promise<T>;
  /** Resolves with the JSON it prints once it ends by itself. */
  done: Promise<T>;
  /** Sends the script an IPC message. */
  send(message: string): void;
}

/** Runs a bench script in its own process and parses the JSON it prints when it ends. */
export function startJsonScript<T>(script: string, args: string[]): JsonScript<T> {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const done = new Promise<T>((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as T) : reject(new Error(`${script}: ${code}`)),
    );
  });
  return {
    done,
    send: (message: string) => {
      if (child.connected) child.send(message);
    },
    stop: () => {
      if (child.connected) child.send('stop');
      return done;
    },
  };
}
