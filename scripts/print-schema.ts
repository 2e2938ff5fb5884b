import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { sortedSchema } from '../src/schema/index.js';

/** Prints the sorted schema to schema.graphql (or stdout with --stdout). */
const printed = `${printSchema(sortedSchema)}\n`;
if (process.argv.includes('--stdout')) process.stdout.write(printed);
else writeFileSync(new URL('../../schema.graphql', import.meta.url), printed);
