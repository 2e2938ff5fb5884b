import type { KeysetPage } from '../data/data-source.js';
import type { StatementBuilder } from '../data/queries.js';
import { accountCursors } from '../schema/clients.js';
import { encodeCursor } from '../schema/cursors.js';
import { encodeGlobalID } from '../schema/global-id.js';
import { decimalTemplate } from './base64-sql.js';
import type { JsonSql } from './json-sql.js';
import type { EdgesPlan, Member, NodeTypename, Value } from './plan.js';

const globalIds: Record<NodeTypename, ReturnType<typeof decimalTemplate>> = {
  Client: decimalTemplate((id) => encodeGlobalID('Client', id), 'base64'),
  Account: decimalTemplate((id) => encodeGlobalID('Account', id), 'base64'),
  Address: decimalTemplate((id) => encodeGlobalID('Address', id), 'base64'),
};
const accountCursor = decimalTemplate((id) => encodeCursor(accountCursors, id), 'base64url');

/**
 * Renders a plan as SQL. Placeholders are taken from the builder in the order they appear in
 * the text (SQLite's are positional), so every piece is built left to right.
 */
class Renderer {
  private aliases = 0;
  constructor(
    private readonly json: JsonSql,
    private readonly builder: StatementBuilder,
  ) {}

  private alias(stem: string): string {
    this.aliases++;
    return `${stem}${this.aliases}`;
  }

  /** The JSON object of `members` for the row `row` (a table alias). */
  object(members: readonly Member[], row: string): string {
    return this.json.object(members.map(({ key, value }) => ({ key, value: this.value(value, row) })));
  }

  private value(value: Value, row: string): string {
    const { json, builder } = this;
    switch (value.kind) {
      case 'typename':
        return json.constant(value.typename);
      case 'globalId':
        return json.encoded(`${row}.id`, globalIds[value.typename], builder);
      case 'databaseId':
        return json.integer(`${row}.id`);
      case 'column':
        return json.text(`${row}.${value.column}`);
      case 'address': {
        const address = this.alias('address');
        return json.orNull(
          `SELECT ${this.object(value.members, address)} FROM addresses AS ${address} WHERE ${address}.id = ${row}.address_id`,
        );
      }
      case 'bankAccounts':
        return this.json.object(
          value.members.map(({ key, value: member }) => ({ key, value: this.accounts(member, value.page, row) })),
        );
      default:
        throw new Error(`${value.kind} is not a value of a row`);
    }
  }

  /** One member of a client's AccountConnection. */
  private accounts(value: Value, page: KeysetPage<number>, client: string): string {
    const { json } = this;
    if (value.kind === 'typename') return json.constant(value.typename);
    if (value.kind === 'accountEdges') {
      const account = this.alias('account');
      const edge = this.json.object(
        value.members.map(({ key, value: member }) => ({ key, value: this.accountEdge(member, account) })),
      );
      const rows = this.pageRows(page, client, page.limit, accountColumns(value.members).join(', '));
      return json.array(edge, `(${rows}) AS ${account}`, `${account}.id`);
    }
    if (value.kind === 'pageInfo') {
      return json.object(
        value.members.map(({ key, value: member }) => ({ key, value: this.pageInfo(member, page, client) })),
      );
    }
    throw new Error(`${value.kind} is not a member of a connection`);
  }

  private accountEdge(value: Value, account: string): string {
    if (value.kind === 'typename') return this.json.constant(value.typename);
    if (value.kind === 'accountCursor') return this.json.encoded(`${account}.id`, accountCursor, this.builder);
    if (value.kind === 'account') return this.object(value.members, account);
    throw new Error(`${value.kind} is not a member of an edge`);
  }

  private pageInfo(value: Value, page: KeysetPage<number>, client: string): string {
    const { json, builder } = this;
    switch (value.kind) {
      case 'typename':
        return json.constant(value.typename);
      case 'hasNextPage':
        return page.fromEnd ? this.beyondFarCursor(page, client) : this.hasMore(page, client);
      case 'hasPreviousPage':
        return page.fromEnd ? this.hasMore(page, client) : this.beyondFarCursor(page, client);
      case 'startCursor':
      case 'endCursor': {
        // Edges are in id order whichever end the page was read from.
        const extreme = value.kind === 'startCursor' ? 'min' : 'max';
        const cursor = json.encoded('extreme', accountCursor, builder);
        const rows = this.pageRows(page, client, page.limit, 'id');
        return json.orNull(
          `SELECT ${cursor} FROM (SELECT ${extreme}(id) AS extreme FROM (${rows}) AS page) AS ends WHERE extreme IS NOT NULL`,
        );
      }
      default:
        throw new Error(`${value.kind} is not a member of pageInfo`);
    }
  }

  /** Whether the client has more accounts than the page holds, in its direction: read one more. */
  private hasMore(page: KeysetPage<number>, client: string): string {
    const rows = this.pageRows(page, client, page.limit + 1, '1');
    return this.json.boolean(`(SELECT count(*) FROM (${rows}) AS page) > ${this.builder.value(page.limit)}`);
  }

  /** The other flag: whether accounts lie beyond the cursor on the far side (inclusive), as `farCursor` says. */
  private beyondFarCursor(page: KeysetPage<number>, client: string): string {
    const key = page.fromEnd ? page.before : page.after;
    if (key === undefined) return this.json.boolean('1 = 0');
    const comparison = page.fromEnd ? '>=' : '<=';
    return this.json.boolean(
      `EXISTS (SELECT 1 FROM accounts WHERE client_id = ${client}.id AND id ${comparison} ${this.builder.value(key)})`,
    );
  }

  /**
   * How many Node objects (Client, Account, Address) the values of `members` hold for the row
   * `row`: what `extensions.cost.actual` counts. An address counts when its row exists (as the
   * executor's loader finds it), accounts as many as the page holds.
   */
  objectsIn(members: readonly Member[], row: string): string {
    const terms: string[] = [];
    for (const { value } of members) {
      if (value.kind === 'address') terms.push(this.addressExists(`${row}.address_id`));
      if (value.kind === 'client' || value.kind === 'account') terms.push(`1 + ${this.objectsIn(value.members, row)}`);
      if (value.kind !== 'bankAccounts') continue;
      for (const { value: member } of value.members) {
        const account =
          member.kind === 'accountEdges' ? member.members.find((edge) => edge.value.kind === 'account') : undefined;
        if (account?.value.kind !== 'account') continue;
        const page = this.alias('counted');
        const rows = this.pageRows(value.page, row, value.page.limit, 'id, address_id');
        terms.push(
          `(SELECT coalesce(sum(${this.objectsIn(account.value.members, page)} + 1), 0) FROM (${rows}) AS ${page})`,
        );
      }
    }
    return terms.length > 0 ? `(${terms.join(' + ')})` : '0';
  }

  private addressExists(reference: string): string {
    return `(SELECT count(*) FROM addresses WHERE addresses.id = ${reference})`;
  }

  /** A client's accounts in the page, read from the end the page starts at. */
  private pageRows(page: KeysetPage<number>, client: string, limit: number, columns: string): string {
    const { builder } = this;
    const terms = [`client_id = ${client}.id`];
    if (page.after !== undefined) terms.push(`id > ${builder.value(page.after)}`);
    if (page.before !== undefined) terms.push(`id < ${builder.value(page.before)}`);
    const direction = page.fromEnd ? 'DESC' : 'ASC';
    return `SELECT ${columns} FROM accounts WHERE ${terms.join(' AND ')} ORDER BY id ${direction} ${builder.limit(limit)}`;
  }
}

/** The account columns that the edges' members read: fewer columns to carry through the page's subquery. */
function accountColumns(edgeMembers: readonly Member[]): string[] {
  const columns = new Set(['id']);
  for (const { value } of edgeMembers) {
    if (value.kind !== 'account') continue;
    for (const { value: field } of value.members) {
      if (field.kind === 'column') columns.add(field.column);
      if (field.kind === 'address') columns.add('address_id');
    }
  }
  return [...columns];
}

/**
 * The select list that writes each planned ClientEdge's clients: one JSON text column per
 * `node` member of the edge, over the row `clients` of the page statement.
 */
export function renderClientColumns(plan: EdgesPlan, json: JsonSql, builder: StatementBuilder): string {
  const renderer = new Renderer(json, builder);
  const columns = plan.edge.flatMap(({ value }) =>
    value.kind === 'client' ? [json.column(renderer.object(value.members, 'clients'))] : [],
  );
  // Last, after the edge's columns: the objects the edge holds.
  columns.push(renderer.objectsIn(plan.edge, 'clients'));
  return columns.join(', ');
}
