import type { AccountRow, AddressRow, ClientRow } from './data-source.js';
import { accountStrings, addressStrings, clientStrings } from './tables.js';

/**
 * `seed` reproduces the original service's objects: every string null, one account per
 * client, no account address. `full` fills every string and gives 1-3 accounts per client,
 * each with its own address.
 */
export type SeedProfile = 'seed' | 'full';

export interface GeneratedClient {
  addresses: AddressRow[];
  client: ClientRow;
  accounts: AccountRow[];
}

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Mixed case, digits and a space, so that byte order and locale collation would disagree.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ';

function strings<K extends string>(keys: readonly K[], random: (() => number) | null): Record<K, string | null> {
  const out = {} as Record<K, string | null>;
  for (const key of keys) {
    if (!random) {
      out[key] = null;
      continue;
    }
    const length = 4 + Math.floor(random() * 13);
    let value = '';
    for (let i = 0; i < length; i++) value += alphabet[Math.floor(random() * alphabet.length)];
    out[key] = value;
  }
  return out;
}

/** Yields clients 1..count with their addresses and accounts; ids are dense and deterministic. */
export function* generateClients(count: number, profile: SeedProfile, seed = 1): Generator<GeneratedClient> {
  const random = createRandom(seed);
  const fill = profile === 'full' ? random : null;
  let addressId = 0;
  let accountId = 0;
  for (let clientId = 1; clientId <= count; clientId++) {
    const clientAddress: AddressRow = { id: ++addressId, ...strings(addressStrings, fill) };
    const addresses = [clientAddress];
    const accounts: AccountRow[] = [];
    const accountCount = profile === 'full' ? 1 + Math.floor(random() * 3) : 1;
    for (let i = 0; i < accountCount; i++) {
      let accountAddressId: number | null = null;
      if (profile === 'full') {
        accountAddressId = ++addressId;
        addresses.push({ id: accountAddressId, ...strings(addressStrings, fill) });
      }
      accounts.push({ id: ++accountId, clientId, addressId: accountAddressId, ...strings(accountStrings, fill) });
    }
    const client: ClientRow = { id: clientId, addressId: clientAddress.id, ...strings(clientStrings, fill) };
    yield { addresses, client, accounts };
  }
}
