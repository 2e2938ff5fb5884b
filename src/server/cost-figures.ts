import type { CostFigures } from '../executor/cost-extension.js';
import { costOf } from './query-cost.js';

interface BudgetFigures {
  remaining: number | null;
  restorePerSecond: number | null;
}

const limits = new WeakMap<object, number>();
const budgets = new WeakMap<object, BudgetFigures>();

/** Starts the figures of a request, by its yoga context (the server context yoga executes with). */
export function startCostFigures(context: object, limit: number): void {
  limits.set(context, limit);
}

/** Notes what the caller's budget held after this request's operation spent from it. */
export function noteBudget(context: object, figures: BudgetFigures): void {
  budgets.set(context, figures);
}

/**
 * What the main thread knows of the cost of the request's operation: `requested` as
 * `useCostLimit` computed it, `limit`, and the caller's budget. Undefined outside a request.
 */
export function costFiguresOf(context: object): CostFigures | undefined {
  const limit = limits.get(context);
  if (limit === undefined) return undefined;
  const budget = budgets.get(context);
  return {
    requested: costOf(context) ?? null,
    limit,
    remaining: budget?.remaining ?? null,
    restorePerSecond: budget?.restorePerSecond ?? null,
  };
}
