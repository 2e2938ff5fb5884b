import type { IncomingMessage } from 'node:http';

/** Who is calling, as the budgets key it. */
export interface Caller {
  /** The bucket this caller spends from: `subject:<sub>` with `AUTH=jwt`, `address:<ip>` otherwise. */
  budgetKey: string;
  /** The token's subject (`AUTH=jwt`). */
  subject?: string;
}

const callers = new WeakMap<object, Caller>();

/** Records the caller of a request, by its yoga context (the server context yoga executes with). */
export function setCaller(context: object, caller: Caller): void {
  callers.set(context, caller);
}

/** The caller of the request behind this context; undefined for the service's own requests. */
export const callerOf = (context: object): Caller | undefined => callers.get(context);

const internal = Symbol('the service calling itself');

/**
 * The server context for a request the service makes to itself (warm-up, counting clients):
 * it needs no token and spends no budget. A symbol cannot arrive over HTTP.
 */
export const internalCall = () => ({ [internal]: true });

export const isInternalCall = (serverContext: object) => (serverContext as Record<symbol, unknown>)[internal] === true;

/**
 * The caller's address: the connection's, or with `trustedHops` proxies in front, the entry of
 * `X-Forwarded-For` that the outermost trusted proxy appended (entries left of it are whatever
 * the caller sent, so they are never trusted).
 */
export function clientAddress(request: IncomingMessage | undefined, trustedHops: number): string {
  const own = request?.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0 || !request) return own;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return forwarded[Math.max(0, forwarded.length - trustedHops)] ?? own;
}
