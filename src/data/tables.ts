/** Column lists shared by the schema DDL, the seed and the queries. */
export const addressStrings = ['str1', 'str2', 'str3', 'str4', 'str5', 'str6', 'str7', 'str8'] as const;
export const clientStrings = addressStrings;
/** The original Account model has no str11. */
export const accountStrings = [
  'str1',
  'str2',
  'str3',
  'str4',
  'str5',
  'str6',
  'str7',
  'str8',
  'str9',
  'str10',
  'str12',
  'str13',
  'str14',
  'str15',
  'str16',
] as const;

export type SqlFlavour = 'sqlite' | 'postgres';

/**
 * The tables, idempotent. Strings compare by bytes on both databases (SQLite's default
 * BINARY collation, PostgreSQL's "C"), so the same query gives the same page on either.
 */
export function createTablesSql(flavour: SqlFlavour): string[] {
  const text = flavour === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT';
  const strings = (columns: readonly string[]) => columns.map((column) => `${column} ${text}`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS addresses (id INTEGER PRIMARY KEY, ${strings(addressStrings)})`,
    `CREATE TABLE IF NOT EXISTS clients (id INTEGER PRIMARY KEY, address_id INTEGER REFERENCES addresses (id), ${strings(clientStrings)})`,
    `CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES clients (id), address_id INTEGER REFERENCES addresses (id), ${strings(accountStrings)})`,
  ];
}

/** The indexes, idempotent: one per keyset ordering of clients (id has the primary key), and accounts per client. */
export function createIndexesSql(): string[] {
  return [
    'CREATE INDEX IF NOT EXISTS clients_str1_id ON clients (str1, id)',
    'CREATE INDEX IF NOT EXISTS clients_str2_id ON clients (str2, id)',
    'CREATE INDEX IF NOT EXISTS accounts_client_id_id ON accounts (client_id, id)',
  ];
}

export const addressColumns = ['id', ...addressStrings].join(', ');
export const clientColumns = ['id', 'address_id AS "addressId"', ...clientStrings].join(', ');
export const accountColumns = ['id', 'client_id AS "clientId"', 'address_id AS "addressId"', ...accountStrings].join(
  ', ',
);
/** The same columns read from a derived table whose names are already camel-cased. */
export const accountColumnsAliased = ['id', '"clientId"', '"addressId"', ...accountStrings].join(', ');
