import type { ExecutionResult } from 'graphql';

/**
 * What the main thread knows of an operation's cost before it runs: everything in
 * `extensions.cost` but `actual`. `null` where nothing applies: `requested` when the operation was
 * never priced (refused before that), `remaining` and `restorePerSecond` when no budget applies.
 */
export interface CostFigures {
  /** The estimate checked against `limit` before execution (objects it may return, plus what its filters may read). */
  requested: number | null;
  /** `MAX_COST`. */
  limit: number;
  /** Points left in the caller's budget after this operation spent its requested cost. */
  remaining: number | null;
  /** `COST_RESTORE_PER_SECOND`. */
  restorePerSecond: number | null;
}

/** `extensions.cost` as callers see it, in the manner of Shopify's. */
export interface CostExtension {
  requested: number | null;
  /** The Client, Account and Address objects the response holds. */
  actual: number | typeof pendingActual;
  limit: number;
  remaining: number | null;
  restorePerSecond: number | null;
}

// Stands for `actual` until a response sent in slices has them all; the body's last text holds it.
const pendingActual = '\u0000actual objects to come';

/**
 * The result with `extensions.cost` added (after any other extensions, so it is serialised
 * last). One function for both executors, so both write the same bytes. `actual` is 'pending'
 * when the response goes out in slices: `writeActual` fills it into the body's last text.
 */
export function withCostExtension<Result extends ExecutionResult>(
  result: Result,
  figures: CostFigures,
  actual: number | 'pending',
): Result {
  const cost: CostExtension = {
    requested: figures.requested,
    actual: actual === 'pending' ? pendingActual : actual,
    limit: figures.limit,
    remaining: figures.remaining,
    restorePerSecond: figures.restorePerSecond,
  };
  return { ...result, extensions: { ...result.extensions, cost } };
}

const pendingText = JSON.stringify(pendingActual);

/**
 * `text` (the last text of a response sent in slices) with the pending `actual` replaced by the
 * count. The last occurrence is the extension's: extensions are serialised after all data.
 */
export function writeActual(text: string, actual: number): string {
  const at = text.lastIndexOf(pendingText);
  return at < 0 ? text : `${text.slice(0, at)}${actual}${text.slice(at + pendingText.length)}`;
}
