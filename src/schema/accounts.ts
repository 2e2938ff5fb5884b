import type { AccountRow } from '../data/data-source.js';
import { accountStrings } from '../data/tables.js';
import { Address } from './addresses.js';
import { builder } from './builder.js';
import { exposeStrings } from './string-fields.js';

export const Account = builder.loadableNode('Account', {
  description: "A client's bank account.",
  id: { resolve: (account: AccountRow) => account.id, parse: Number },
  load: (ids: number[], context) => context.dataSource.accountsByIds(ids),
  fields: (t) => ({
    databaseId: t.exposeInt('id', { nullable: false, description: 'The integer id in the database.' }),
    address: t.field({ type: Address, nullable: true, resolve: (account) => account.addressId }),
    ...exposeStrings(t, accountStrings),
  }),
});

export const AccountConnection = builder.connectionObject(
  { type: Account, name: 'AccountConnection', description: "A page of a client's bank accounts, ordered by id." },
  { name: 'AccountEdge' },
);
