import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../config.js';
import { queryRefused } from '../errors.js';
import type { PageSizes } from '../schema/context.js';
import { useClearErrors } from './clear-errors.js';
import { useNoIntrospection } from './introspection.js';
import { useCostLimit } from './query-cost.js';
import { useVariablesCheck } from './variables.js';

export interface HardeningOptions {
  limits: QueryLimits;
  pageSizes: PageSizes;
  /** `INTROSPECTION`: when false, introspection is refused and suggestions are hidden. */
  introspection: boolean;
  /** How many clients the database holds, for the cost of filters. */
  clientRows: () => number;
}

/**
 * The yoga plugins that bound what one request may cost and keep errors clear. All of them
 * run on the main thread before an operation reaches a worker. (The body size limit is
 * yoga's own `maxRequestBodySize`.)
 */
export function hardeningPlugins({ limits, pageSizes, introspection, clientRows }: HardeningOptions): Plugin[] {
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.depth, ...reportAsValidationError },
    maxAliases: { n: limits.aliases, ...reportAsValidationError },
    maxDirectives: { n: limits.directives, ...reportAsValidationError },
    maxTokens: { n: limits.tokens },
    // Replaced by useCostLimit, which counts page sizes; suggestions are handled with introspection.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
  return [
    armor,
    useVariablesCheck({ introspection }),
    useCostLimit({ maxCost: limits.cost, pageSizes, clientRows }),
    useClearErrors(),
    ...(introspection ? [] : [useNoIntrospection()]),
  ];
}

/**
 * graphql-armor's default throws its error out of validation, which yoga answers with 200 and
 * no code; reported to the validation context instead, it is a 400 GRAPHQL_VALIDATION_FAILED.
 * Its messages start with "Syntax Error:", which these are not.
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(queryRefused(error.message.replace(/^Syntax Error: /, ''))),
  ],
};
