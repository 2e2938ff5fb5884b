import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Makes request-level errors clear and free of internals: a mutation or subscription is a
 * validation error (yoga's default is a 200 with `data: null` and no code), and no error
 * carries `extensions.originalError` (yoga's default for a malformed JSON body includes the
 * JSON parser's own message), and that body gets 400 whatever the Accept header.
 */
export function useClearErrors(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(queriesOnlyRule);
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      if (!result.errors.some((error) => error.extensions?.originalError)) return;
      setResult({ ...result, errors: result.errors.map(withoutOriginalError) });
    },
  };
}

function queriesOnlyRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (context.getSchema().getRootType(node.operation)) return;
      context.reportError(
        new GraphQLError(`This API only answers queries: it has no ${node.operation}s.`, { nodes: node }),
      );
    },
  };
}

/**
 * Only yoga's "POST body sent invalid JSON." carries it. Its `http.spec` flag makes yoga answer
 * 200 under `Accept: application/json`; a body that is not JSON is no GraphQL request at all,
 * so it gets its 400 (graphql-http's audit BCF8).
 */
function withoutOriginalError(error: GraphQLError): GraphQLError {
  const { originalError: _internal, http, ...extensions } = error.extensions ?? {};
  const { spec: _spec, ...status } = (http ?? {}) as Record<string, unknown>;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    positions: error.positions,
    extensions: { ...extensions, http: status },
  });
}
