import type { FieldRef, ObjectFieldBuilder, SchemaTypes } from '@pothos/core';

/** Exposes nullable string columns as fields of the same name. */
export function exposeStrings<Types extends SchemaTypes, Shape extends object, Key extends string>(
  t: ObjectFieldBuilder<Types, Shape>,
  keys: readonly Key[],
): Record<Key, FieldRef<Types, string | null, 'Object'>> {
  const fields = {} as Record<Key, FieldRef<Types, string | null, 'Object'>>;
  for (const key of keys) {
    // Pothos cannot type a field named by a runtime key; the row types guarantee the column.
    fields[key] = t.exposeString(key as never, { nullable: true } as never) as FieldRef<Types, string | null, 'Object'>;
  }
  return fields;
}
