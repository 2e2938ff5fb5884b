import type { IncomingMessage, ServerResponse } from 'node:http';

/** Readiness as Kubernetes sees it; liveness needs no state: answering at all is the proof. */
export interface Health {
  isReady(): boolean;
  /** Why the service is not ready (`starting`, `draining`, `saturated`, a dependency's problem), or null when it is. */
  reason(): string | null;
  markReady(): void;
  markNotReady(reason: string): void;
  /** Reports a dependency's problem (`database`: ...), or null when it is fine again. */
  setProblem(name: string, problem: string | null): void;
  /** While `isBusy` answers true the service reports `saturated`: it would refuse new work. */
  setBusyCheck(isBusy: () => boolean): void;
}

export function createHealth(): Health {
  let notReadyReason: string | null = 'starting';
  const problems = new Map<string, string>();
  let isBusy = () => false;
  const reason = () => notReadyReason ?? problems.values().next().value ?? (isBusy() ? 'saturated' : null);
  return {
    isReady: () => reason() === null,
    reason,
    setBusyCheck: (check) => {
      isBusy = check;
    },
    markReady: () => {
      notReadyReason = null;
    },
    markNotReady: (reason) => {
      notReadyReason = reason;
    },
    setProblem: (name, problem) => {
      if (problem === null) problems.delete(name);
      else problems.set(name, problem);
    },
  };
}

const livePaths = new Set(['/.well-known/live', '/livez']);
const readyPaths = new Set(['/.well-known/ready', '/readyz']);

/** True for the liveness and readiness paths. */
export const isProbePath = (path: string) => livePaths.has(path) || readyPaths.has(path);

/** Answers the probe routes on the main thread; returns false for any other request. */
export function answerProbe(request: IncomingMessage, response: ServerResponse, health: Health): boolean {
  const path = request.url?.split('?', 1)[0] ?? '';
  const live = livePaths.has(path);
  if (!live && !readyPaths.has(path)) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const ok = live || health.isReady();
  const body = ok ? 'OK' : `not ready: ${health.reason()}`;
  response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
