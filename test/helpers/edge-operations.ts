import fc from 'fast-check';
import { accountStrings, addressStrings, clientStrings } from '../../src/data/tables.js';

/**
 * Generated `clients` operations for comparing ways of executing them: every field, aliases,
 * fragments on both sides of `Node`, `@include`/`@skip` with variables and literals, nested
 * `bankAccounts` pages with every kind of argument (valid or not). Each renders to a valid
 * operation whose root `clients` takes its arguments from variables.
 */
export interface GeneratedOperation {
  query: string;
  /** Which of the operation's own variables it uses: `$yes`, `$no`, `$n`, `$accountAfter`, `$accountBefore`. */
  uses: Set<string>;
}

type TypeName = 'ClientEdge' | 'Client' | 'Address' | 'AccountConnection' | 'AccountEdge' | 'Account' | 'PageInfo';

interface Spec {
  kind: 'field' | 'inline' | 'spread';
  /** Field name, or the type condition of a fragment ('' for an inline fragment without one). */
  name: string;
  alias?: string;
  args?: string;
  directive?: string;
  /** The fragment is spread a second time right after (the same name). */
  repeat?: boolean;
  children?: Spec[];
}

const directives = [
  '@include(if: $yes)',
  '@include(if: $no)',
  '@skip(if: $yes)',
  '@skip(if: $no)',
  '@include(if: true)',
  '@skip(if: true)',
  '@skip(if: $no) @include(if: $yes)',
];

/** Arguments of `bankAccounts`; the last ones are refused by the resolver. */
export const accountArguments = [
  '',
  '(first: 2)',
  '(last: 2)',
  '(first: 0)',
  '(first: $n)',
  '(last: $n)',
  '(after: $accountAfter)',
  '(first: 1, after: $accountAfter)',
  '(last: 1, before: $accountBefore)',
  '(first: 3, after: $accountAfter, before: $accountBefore)',
  '(first: 101)',
  '(first: 1, last: 1)',
  '(after: "not a cursor")',
];

const leaves: Record<TypeName, string[]> = {
  ClientEdge: ['cursor', '__typename'],
  Client: ['id', 'databaseId', ...clientStrings, '__typename'],
  Address: ['id', 'databaseId', ...addressStrings, '__typename'],
  AccountConnection: ['__typename'],
  AccountEdge: ['cursor', '__typename'],
  Account: ['id', 'databaseId', ...accountStrings, '__typename'],
  PageInfo: ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', '__typename'],
};
const objects: Record<TypeName, [string, TypeName][]> = {
  ClientEdge: [['node', 'Client']],
  Client: [
    ['address', 'Address'],
    ['bankAccounts', 'AccountConnection'],
  ],
  Address: [],
  AccountConnection: [
    ['edges', 'AccountEdge'],
    ['pageInfo', 'PageInfo'],
  ],
  AccountEdge: [['node', 'Account']],
  Account: [['address', 'Address']],
  PageInfo: [],
};
const isNode = (type: TypeName) => type === 'Client' || type === 'Account' || type === 'Address';

/** Mostly nothing: conditions and aliases are the exception, or every selection would hold one. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary, weight: 1 });
const refused = 3;
/** Mostly arguments the resolver takes: one refused page anywhere and the executor must answer alone. */
const someAccountArguments = fc.oneof(
  { arbitrary: fc.constantFrom(...accountArguments.slice(0, -refused)), weight: 20 },
  { arbitrary: fc.constantFrom(...accountArguments.slice(-refused)), weight: 1 },
);

function selectionOf(type: TypeName, depth: number): fc.Arbitrary<Spec[]> {
  const leaf: fc.Arbitrary<Spec> = fc.record({
    kind: fc.constant('field' as const),
    name: fc.constantFrom(...leaves[type]),
    alias: rarely(fc.constantFrom('x', 'y')),
    directive: rarely(fc.constantFrom(...directives)),
  });
  const choices: fc.Arbitrary<Spec>[] = [leaf, leaf, leaf];
  for (const [name, child] of objects[type]) {
    choices.push(
      fc.record({
        kind: fc.constant('field' as const),
        name: fc.constant(name),
        alias: name === 'bankAccounts' ? fc.constant(undefined) : rarely(fc.constant('x')),
        args: name === 'bankAccounts' ? someAccountArguments : fc.constant(undefined),
        directive: rarely(fc.constantFrom(...directives)),
        children: selectionOf(child, depth + 1),
      }),
    );
  }
  if (depth < 6) {
    const conditions = isNode(type) ? [type, 'Node', ''] : [type, ''];
    const fragment = (kind: 'inline' | 'spread') =>
      fc.constantFrom(...conditions).chain((condition) =>
        fc.record({
          kind: fc.constant(kind),
          name: fc.constant(condition || (kind === 'spread' ? type : '')),
          directive: rarely(fc.constantFrom(...directives)),
          repeat:
            kind === 'spread'
              ? fc.constantFrom(false, false, false, false, false, false, false, false, true)
              : fc.constant(false),
          children:
            condition === 'Node'
              ? fc.array(fc.constantFrom<Spec>({ kind: 'field', name: 'id' }, { kind: 'field', name: '__typename' }), {
                  minLength: 1,
                  maxLength: 2,
                })
              : selectionOf(type, depth + 1),
        }),
      );
    choices.push(fragment('inline'), fragment('spread'));
  }
  return fc.array(fc.oneof(...choices), { minLength: 1, maxLength: depth > 3 ? 3 : 5 });
}

/** Renders specs as GraphQL text, adding named fragments and noting the variables used. */
class Renderer {
  readonly fragments: string[] = [];
  readonly uses = new Set<string>();
  /** Without, the directives generated are left out: half the operations have none at all. */
  constructor(private readonly withDirectives: boolean) {}

  selection(specs: Spec[]): string {
    return specs.map((spec) => this.one(spec)).join(' ');
  }

  private one(spec: Spec): string {
    const directive = spec.directive && this.withDirectives ? ` ${spec.directive}` : '';
    for (const match of `${directive} ${spec.args ?? ''}`.matchAll(/\$(\w+)/g)) this.uses.add(match[1] as string);
    const children = spec.children ? ` { ${this.selection(spec.children)} }` : '';
    if (spec.kind === 'inline') return `...${spec.name ? ` on ${spec.name}` : ''}${directive}${children}`;
    if (spec.kind === 'spread') {
      const name = `F${this.fragments.length}`;
      this.fragments.push(`fragment ${name} on ${spec.name}${children}`);
      return `...${name}${directive}${spec.repeat ? ` ...${name}` : ''}`;
    }
    // Aliases are unique per field name, so the same response key always means the same field.
    const alias = spec.alias ? `${spec.alias}_${spec.name}: ` : '';
    const argumentsAlias = spec.args ? `b${accountArguments.indexOf(spec.args)}: ` : '';
    return `${argumentsAlias || alias}${spec.name}${spec.args ?? ''}${directive}${children}`;
  }
}

const rootVariables =
  '$first: Int, $last: Int, $after: String, $before: String, $orderBy: ClientOrder, $filter: ClientFilter';
const variableTypes: Record<string, string> = {
  yes: 'Boolean!',
  no: 'Boolean!',
  n: 'Int',
  accountAfter: 'String',
  accountBefore: 'String',
};

/** Operations with one `clients` field whose edges select what was generated. */
export const edgeOperations: fc.Arbitrary<GeneratedOperation> = fc
  .record({
    edges: selectionOf('ClientEdge', 0),
    before: fc.subarray(['totalCount', 'pageInfo { hasNextPage endCursor }', '__typename']),
    after: fc.subarray(['pageInfo { startCursor hasPreviousPage }', 'totalCount']),
    inFragment: fc.boolean(),
    withDirectives: fc.boolean(),
    edgesAlias: fc.constantFrom('', 'list: '),
  })
  .map(({ edges, before, after, inFragment, withDirectives, edgesAlias }) => {
    const renderer = new Renderer(withDirectives);
    const edgesField = `${edgesAlias}edges { ${renderer.selection(edges)} }`;
    const connection = [...before, inFragment ? `... on ClientConnection { ${edgesField} }` : edgesField, ...after];
    const declared = [rootVariables, ...[...renderer.uses].map((name) => `$${name}: ${variableTypes[name]}`)];
    const query = `query Page(${declared.join(', ')}) {
  clients(first: $first, last: $last, after: $after, before: $before, orderBy: $orderBy, filter: $filter) {
    ${connection.join(' ')}
  }
}
${renderer.fragments.join('\n')}`;
    return { query, uses: renderer.uses };
  });
