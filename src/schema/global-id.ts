import { badUserInput } from '../errors.js';

/** The node types a global ID may name. */
export const nodeTypenames = ['Client', 'Account', 'Address'] as const;

/** Relay global IDs: base64 of `Typename:databaseId`, as Pothos encodes them by default. */
export function encodeGlobalID(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`).toString('base64');
}

/**
 * Decodes a global ID strictly: anything but `<known type>:<positive integer>` is BAD_USER_INPUT.
 * An integer past what an id column holds is well-formed and names no row: the data layer
 * answers it as missing without asking the database (`isDatabaseId`).
 */
export function decodeGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalID, 'base64').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]*)$/.exec(decoded);
  const typename = match?.[1];
  const id = match?.[2];
  if (
    !typename ||
    !id ||
    encodeGlobalID(typename, id) !== globalID ||
    !(nodeTypenames as readonly string[]).includes(typename)
  ) {
    throw badUserInput(`Invalid global ID "${globalID.slice(0, 64)}": expected an ID returned by this API.`);
  }
  return { typename, id };
}
