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

/** The DDL, idempotent. Strings compare by bytes (SQLite's default BINARY collation). */
export function createTablesSql(): string[] {
  const strings = (columns: readonly string[]) => columns.map((column) => `${column} TEXT`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS addresses (id INTEGER PRIMARY KEY, ${strings(addressStrings)})`,
    `CREATE TABLE IF NOT EXISTS clients (id INTEGER PRIMARY KEY, address_id INTEGER REFERENCES addresses (id), ${strings(clientStrings)})`,
    `CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES clients (id), address_id INTEGER REFERENCES addresses (id), ${strings(accountStrings)})`,
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
