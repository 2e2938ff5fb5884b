import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.js';
import { decodeGlobalID, encodeGlobalID } from './global-id.js';

/** The Pothos builder with the relay and dataloader plugins; the types live in their own modules. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    encodeGlobalID,
    decodeGlobalID,
  },
});
