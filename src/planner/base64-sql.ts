import type { StatementBuilder } from '../data/queries.js';

/** base64 (padded, as global ids) or base64url (unpadded, as cursors). */
export type Base64Encoding = 'base64' | 'base64url';

/** Text made of a constant prefix, a positive integer in decimal and a constant suffix. */
export interface DecimalTemplate {
  prefix: string;
  suffix: string;
  encoding: Base64Encoding;
}

/** Bytes of the encoded text: a constant byte, or the digit at a position of the number. */
type Slot = { byte: number } | { digit: number };

interface LookupTable {
  name: string;
  /** `width` characters for each value of the group's digits, in order from 0. */
  bytes: Buffer;
  width: number;
}

// The most digits an id has: Number.MAX_SAFE_INTEGER has 16.
const maxDigits = 16;
const tables = new Map<string, LookupTable>();

/**
 * The table for one 3-byte group whose digit slots vary: shared by every statement, so the
 * SQL text of a plan is always the same and SQLite binds each table once per statement.
 */
function tableFor(group: Slot[], encoding: Base64Encoding): LookupTable {
  const pattern = `${encoding}:${group.map((slot) => ('byte' in slot ? slot.byte : 'd')).join(',')}`;
  let table = tables.get(pattern);
  if (!table) {
    const digits = group.filter((slot) => 'digit' in slot).length;
    const chunks: string[] = [];
    for (let value = 0; value < 10 ** digits; value++) {
      const text = String(value).padStart(digits, '0');
      let next = 0;
      const bytes = group.map((slot) => ('byte' in slot ? slot.byte : text.charCodeAt(next++)));
      chunks.push(Buffer.from(bytes).toString(encoding));
    }
    const width = chunks[0]?.length ?? 0;
    table = { name: `b64_${tables.size}`, bytes: Buffer.from(chunks.join(''), 'latin1'), width };
    tables.set(pattern, table);
  }
  return table;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The expression for numbers of exactly `digits` digits: constant runs as literals, digit groups looked up. */
function encodedWithDigits(
  integer: string,
  digits: number,
  template: DecimalTemplate,
  builder: Pick<StatementBuilder, 'named'>,
) {
  const slots: Slot[] = [
    ...[...Buffer.from(template.prefix)].map((byte) => ({ byte })),
    ...Array.from({ length: digits }, (_, digit) => ({ digit })),
    ...[...Buffer.from(template.suffix)].map((byte) => ({ byte })),
  ];
  const parts: string[] = [];
  let constant = '';
  for (let start = 0; start < slots.length; start += 3) {
    const group = slots.slice(start, start + 3);
    const digitSlots = group.flatMap((slot) => ('digit' in slot ? [slot.digit] : []));
    const [first] = digitSlots;
    if (first === undefined) {
      constant += Buffer.from(group.map((slot) => ('byte' in slot ? slot.byte : 0))).toString(template.encoding);
      continue;
    }
    if (constant) parts.push(quote(constant));
    constant = '';
    const table = tableFor(group, template.encoding);
    // The group's digits as one number: drop the digits after it, keep as many as it holds.
    const after = digits - first - digitSlots.length;
    const shifted = after > 0 ? `${integer} / ${10 ** after}` : integer;
    const value = first > 0 ? `(${shifted}) % ${10 ** digitSlots.length}` : shifted;
    parts.push(`substr(${builder.named(table.name, table.bytes)}, (${value}) * ${table.width} + 1, ${table.width})`);
  }
  if (constant) parts.push(quote(constant));
  // Concatenation turns the looked-up blobs into text; '' makes sure even a lone lookup is text.
  return parts.length === 1 ? `'' || ${parts[0]}` : parts.join(' || ');
}

/**
 * SQLite has no base64: this encodes `prefix + integer + suffix` in SQL. Base64 maps each
 * 3-byte group to 4 characters, so once the number of digits is known (a CASE, searched by
 * halves) the constant groups are literals and each group holding digits is one `substr` of
 * a lookup table bound as a blob, indexed by the value of its digits. `integer` must be a
 * positive integer expression of at most 16 digits (every database id).
 */
export function sqliteBase64(integer: string, template: DecimalTemplate, builder: StatementBuilder): string {
  const key = JSON.stringify([integer, template]);
  let found = expressions.get(key);
  if (!found) {
    const recorded = new Map<string, Buffer>();
    const recorder = {
      named: (name: string, value: unknown) => {
        recorded.set(name, value as Buffer);
        return `@${name}`;
      },
    };
    const branch = (low: number, high: number): string => {
      if (low === high) return encodedWithDigits(integer, low, template, recorder);
      const middle = (low + high) >> 1;
      return `CASE WHEN ${integer} < ${10 ** middle} THEN ${branch(low, middle)} ELSE ${branch(middle + 1, high)} END`;
    };
    found = { sql: branch(1, maxDigits), tables: [...recorded] };
    if (expressions.size >= maxExpressions) expressions.delete(expressions.keys().next().value as string);
    expressions.set(key, found);
  }
  for (const [name, bytes] of found.tables) builder.named(name, bytes);
  return found.sql;
}

// Building a CASE costs more than planning; plans repeat the same few (a table's id, a cursor).
const maxExpressions = 200;
const expressions = new Map<string, { sql: string; tables: [string, Buffer][] }>();

/**
 * The template that `encode` follows, worked out from its own output and checked on a few
 * ids: global ids and cursors keep a single definition (src/schema).
 */
export function decimalTemplate(encode: (id: number) => string, encoding: Base64Encoding): DecimalTemplate {
  const marker = 918273645;
  const [prefix = '', suffix = ''] = Buffer.from(encode(marker), encoding).toString('utf8').split(String(marker));
  for (const id of [1, 42, 999, 1000, 123456, 9007199254740991]) {
    if (Buffer.from(`${prefix}${id}${suffix}`).toString(encoding) !== encode(id)) {
      throw new Error(`ids are not ${encoding} of a constant text around the decimal id: ${encode(id)}`);
    }
  }
  return { prefix, suffix, encoding };
}
