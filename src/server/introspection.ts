import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * With `INTROSPECTION=false`: introspection queries are refused, and validation errors
 * no longer suggest names ("Did you mean ...?"), which would reveal the schema piece by piece.
 */
export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map(withoutSuggestions));
      };
    },
  };
}

/** A message without graphql's "Did you mean ...?" hints. */
export const withoutSuggestion = (message: string) => message.replace(/ ?Did you mean [^?]*\?/g, '');

function withoutSuggestions(error: Error): Error {
  if (!(error instanceof GraphQLError) || !error.message.includes('Did you mean')) return error;
  return new GraphQLError(withoutSuggestion(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: error.extensions,
  });
}
