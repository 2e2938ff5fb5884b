import type { AddressRow } from '../data/data-source.js';
import { addressStrings } from '../data/tables.js';
import { builder } from './builder.js';
import { exposeStrings } from './string-fields.js';

export const Address = builder.loadableNode('Address', {
  description: 'A postal address of a client or of a bank account.',
  id: { resolve: (address: AddressRow) => address.id, parse: Number },
  load: (ids: number[], context) => context.dataSource.addressesByIds(ids),
  fields: (t) => ({
    databaseId: t.exposeInt('id', { nullable: false, description: 'The integer id in the database.' }),
    ...exposeStrings(t, addressStrings),
  }),
});
