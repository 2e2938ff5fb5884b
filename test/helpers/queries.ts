/** Every field of a client, its address and its bank accounts (first page) with their addresses. */
export const everyClientField = `id databaseId str1 str2 str3 str4 str5 str6 str7 str8
  address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 }
  bankAccounts { edges { cursor node { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 str9 str10
    str12 str13 str14 str15 str16 address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 } } } }`;

/** The export: `size` clients in one page, with every field. */
export const exportQuery = (size = 40_000) =>
  `{ clients(first: ${size}) { edges { cursor node { ${everyClientField} } } } }`;
