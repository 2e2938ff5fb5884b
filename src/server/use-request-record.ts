import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { recordOf } from './request-record.js';

/** Code label for errors that carry no `extensions.code`. */
export const noErrorCode = 'NO_CODE';

/** Fills the request's record with what only yoga knows: the operation and the error codes. */
export function useRequestRecord(): Plugin {
  return {
    onRequestParse({ serverContext }) {
      const record = recordOf(serverContext);
      if (record) record.graphql = true;
    },
    onExecute({ args }) {
      const record = recordOf(args.contextValue);
      const operation = getOperationAST(args.document, args.operationName);
      if (!record || !operation) return;
      record.operationType = operation.operation;
      record.operationName = operation.name?.value;
    },
    onResultProcess({ result, serverContext }) {
      const record = recordOf(serverContext);
      if (!record) return;
      const results = Array.isArray(result) ? result : [result];
      const codes = new Set<string>();
      for (const single of results) {
        if (!('errors' in single)) continue;
        for (const error of single.errors ?? []) {
          const code = error.extensions?.code;
          codes.add(typeof code === 'string' ? code : noErrorCode);
        }
      }
      record.errorCodes = [...codes];
    },
  };
}
