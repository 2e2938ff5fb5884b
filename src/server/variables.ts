import { GraphQLError, getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCodes } from '../errors.js';
import { withoutSuggestion } from './introspection.js';

/**
 * Coerces the operation's variables on the main thread, before anything is queued for a
 * worker: a value of the wrong type is a 400 `BAD_USER_INPUT` naming the variable (graphql's
 * own message; without its "Did you mean ...?" hints when introspection is off), in both
 * executor modes alike.
 */
export function useVariablesCheck({ introspection }: { introspection: boolean }): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const { errors } = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      if (!errors) return;
      setResultAndStopExecution({
        errors: errors.map(
          (error) =>
            new GraphQLError(introspection ? error.message : withoutSuggestion(error.message), {
              nodes: error.nodes,
              extensions: { code: errorCodes.BAD_USER_INPUT, http: { status: 400 } },
            }),
        ),
      });
    },
  };
}
