import type { Plugin } from 'graphql-yoga';
import { rateLimited } from '../errors.js';
import { callerOf } from './caller.js';
import type { CostBudgets } from './cost-budgets.js';
import { noteBudget } from './cost-figures.js';
import { costOf } from './query-cost.js';
import { markRejected } from './request-record.js';

/**
 * Spends each operation's requested cost (at least 1) from its caller's bucket before it runs;
 * an empty bucket answers 429 `RATE_LIMITED` with `Retry-After`. Registered after the cost
 * limit, so an operation refused for its cost spends nothing. The requested cost is what is
 * spent, not the actual: the main thread never reads the worker's result.
 */
export function useCostBudget(budgets: CostBudgets): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as object;
      const caller = callerOf(context);
      if (!caller) return;
      const requested = costOf(context) ?? 0;
      const spending = await budgets.spend(caller.budgetKey, Math.max(1, requested));
      noteBudget(context, { remaining: spending.remaining, restorePerSecond: budgets.restorePerSecond });
      if (spending.ok) return;
      markRejected(context, 'RATE_LIMITED');
      setResultAndStopExecution({
        errors: [
          rateLimited(
            `Cost budget spent: this operation costs ${requested}, ${spending.remaining} of ${budgets.points} points ` +
              `are left, and the budget is restored at ${budgets.restorePerSecond} points per second. ` +
              `Retry after ${spending.retryAfterSeconds} s.`,
            spending.retryAfterSeconds,
          ),
        ],
      });
    },
  };
}
