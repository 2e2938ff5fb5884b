import {
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  getArgumentValues,
  getNamedType,
  isObjectType,
} from 'graphql';
import type { KeysetPage } from '../data/data-source.js';
import { accountStrings, addressStrings, clientStrings } from '../data/tables.js';
import { accountCursors } from '../schema/clients.js';
import type { PageSizes } from '../schema/context.js';
import { toKeysetPage } from '../schema/pagination.js';
import { collectsLikeGraphqlJs } from './operation-checks.js';
import { collectFields, type SelectionContext, subSelections } from './selection.js';

/** The node types whose rows the plan reads; their global ids are base64 of `Typename:id`. */
export type NodeTypename = 'Client' | 'Account' | 'Address';

/** One key of a JSON object, in the order the response writes it. */
export interface Member {
  key: string;
  value: Value;
}

/** How one value of the response is made from the row in scope (a client, account or address). */
export type Value =
  | { kind: 'typename'; typename: string }
  | { kind: 'globalId'; typename: NodeTypename }
  | { kind: 'databaseId' }
  | { kind: 'column'; column: string }
  /** The row's address (`address_id`), or null. */
  | { kind: 'address'; members: Member[] }
  /** A client's page of accounts: an AccountConnection. */
  | { kind: 'bankAccounts'; page: KeysetPage<number>; members: Member[] }
  | { kind: 'accountEdges'; members: Member[] }
  | { kind: 'accountCursor' }
  | { kind: 'account'; members: Member[] }
  | { kind: 'pageInfo'; members: Member[] }
  | { kind: 'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor' }
  /** The ClientEdge's own members: its cursor (made from the row's key) and its client. */
  | { kind: 'clientCursor' }
  | { kind: 'client'; members: Member[] };

/** What the database must write for each edge of a `clients` page. */
export interface EdgesPlan {
  /** The response key of `edges` under the `clients` field: where the edges' JSON goes. */
  edgesKey: string;
  /** The members of each ClientEdge object. */
  edge: Member[];
}

/** What planning reads from the `clients` resolver's `info`. */
export type PlanInput = Pick<
  GraphQLResolveInfo,
  'schema' | 'fieldNodes' | 'fragments' | 'variableValues' | 'operation'
>;

type FieldPlanner = (field: GraphQLField<unknown, unknown>, nodes: FieldNode[]) => Value | undefined;

const maxKeyLength = 63;

const strings: Record<NodeTypename, readonly string[]> = {
  Client: clientStrings,
  Account: accountStrings,
  Address: addressStrings,
};

/**
 * Plans the `edges` of the `clients` field in `input.fieldNodes`: undefined when anything is
 * unusual (no `edges`, `edges` under two keys, an unknown field, an argument that today's
 * executor would refuse, a selection graphql-jit might collect otherwise), so that the
 * executor runs it as it always has.
 */
export function planClientEdges(input: PlanInput, pageSizes: PageSizes): EdgesPlan | undefined {
  if (!collectsLikeGraphqlJs(input.operation, input.fragments)) return undefined;
  const context: SelectionContext = input;
  const connectionType = objectTypeOf(input.schema.getQueryType()?.getFields().clients);
  if (!connectionType) return undefined;
  const fields = collectFields(context, connectionType, subSelections(input.fieldNodes));
  const edges = [...(fields ?? [])].filter(([, nodes]) => nodes[0]?.name.value === 'edges');
  const [only] = edges;
  if (!only || edges.length > 1) return undefined;
  const [edgesKey, edgeNodes] = only;

  /** The members of the object that `nodes` select, each planned by `planField`. */
  function object(type: GraphQLObjectType | undefined, nodes: FieldNode[], planField: FieldPlanner) {
    if (!type) return undefined;
    const collected = collectFields(context, type, subSelections(nodes));
    if (!collected) return undefined;
    const members: Member[] = [];
    for (const [key, fieldNodes] of collected) {
      // PostgreSQL names the keys of row_to_json by column aliases, which it cuts at 63 bytes.
      if (key.length > maxKeyLength) return undefined;
      const name = fieldNodes[0]?.name.value;
      const field = name === undefined ? undefined : type.getFields()[name];
      const value =
        name === '__typename'
          ? { kind: 'typename' as const, typename: type.name }
          : field && planField(field, fieldNodes);
      if (!value) return undefined;
      members.push({ key, value });
    }
    return members;
  }

  const nested = <Kind extends 'address' | 'account' | 'client' | 'accountEdges' | 'pageInfo'>(
    kind: Kind,
    field: GraphQLField<unknown, unknown>,
    nodes: FieldNode[],
    planField: FieldPlanner,
  ) => {
    const members = object(objectTypeOf(field), nodes, planField);
    return members && { kind, members };
  };

  /** Fields every node type shares: ids, its string columns, and the address where it has one. */
  const nodeFields =
    (typename: NodeTypename): FieldPlanner =>
    (field, nodes) => {
      if (field.name === 'id') return { kind: 'globalId', typename };
      if (field.name === 'databaseId') return { kind: 'databaseId' };
      if (strings[typename].includes(field.name)) return { kind: 'column', column: field.name };
      if (field.name === 'address' && typename !== 'Address') return nested('address', field, nodes, address);
      return undefined;
    };
  const address = nodeFields('Address');
  const account = nodeFields('Account');
  const pageInfo: FieldPlanner = (field) =>
    ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'].includes(field.name)
      ? { kind: field.name as 'hasNextPage' }
      : undefined;
  const accountEdge: FieldPlanner = (field, nodes) => {
    if (field.name === 'cursor') return { kind: 'accountCursor' };
    return field.name === 'node' ? nested('account', field, nodes, account) : undefined;
  };
  const accountConnection: FieldPlanner = (field, nodes) => {
    if (field.name === 'edges') return nested('accountEdges', field, nodes, accountEdge);
    return field.name === 'pageInfo' ? nested('pageInfo', field, nodes, pageInfo) : undefined;
  };
  const client: FieldPlanner = (field, nodes) => {
    if (field.name !== 'bankAccounts') return nodeFields('Client')(field, nodes);
    const page = accountPage(field, nodes, input.variableValues, pageSizes);
    const members = page && object(objectTypeOf(field), nodes, accountConnection);
    return members && { kind: 'bankAccounts', page, members };
  };
  const clientEdge: FieldPlanner = (field, nodes) => {
    if (field.name === 'cursor') return { kind: 'clientCursor' };
    return field.name === 'node' ? nested('client', field, nodes, client) : undefined;
  };

  const edge = object(objectTypeOf(connectionType.getFields().edges), edgeNodes, clientEdge);
  return edge && { edgesKey, edge };
}

function objectTypeOf(field: GraphQLField<unknown, unknown> | undefined): GraphQLObjectType | undefined {
  const type = field && getNamedType(field.type);
  return type && isObjectType(type) ? type : undefined;
}

/**
 * The page of accounts the arguments ask for, validated and decoded as the resolver does;
 * undefined where the resolver would raise an error (the executor then raises it).
 */
function accountPage(
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  variableValues: Record<string, unknown>,
  pageSizes: PageSizes,
): KeysetPage<number> | undefined {
  const [node] = nodes;
  if (!node) return undefined;
  try {
    return toKeysetPage(getArgumentValues(field, node, variableValues), pageSizes, 'bankAccounts', accountCursors);
  } catch {
    return undefined;
  }
}
