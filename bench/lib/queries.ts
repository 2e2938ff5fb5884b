/** Every field of a client, its address, its accounts and their addresses. */
export const allFields = `id databaseId str1 str2 str3 str4 str5 str6 str7 str8
  address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 }
  bankAccounts { edges { cursor node { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 str9 str10
    str12 str13 str14 str15 str16 address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 } } } }`;

/** One page of `size` clients with every field, from the start (an export when size is 40,000). */
export const clientsQuery = (size: number) => `{ clients(first: ${size}) { edges { cursor node { ${allFields} } } } }`;
