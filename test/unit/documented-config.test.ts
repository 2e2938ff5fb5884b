import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { namesConfigReads, namesSourceReads } from '../helpers/environment-names.js';
import { environmentNamesSet, loadKubernetesBase } from '../helpers/kubernetes.js';

const root = new URL('../../../', import.meta.url);

/** The variables with a row in the table of docs/configuration.md (first cell: the name in backticks). */
function documentedNames(): Set<string> {
  const page = readFileSync(new URL('docs/configuration.md', root), 'utf8');
  return new Set([...page.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1] ?? ''));
}

/** The variables the Dockerfile sets with `ENV NAME=value`. */
function namesDockerfileSets(): string[] {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
  return [...dockerfile.matchAll(/^ENV ([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');
}

const read = new Set([...namesConfigReads(), ...namesSourceReads()]);
const documented = documentedNames();

test('every environment variable the code reads has a row in docs/configuration.md', () => {
  assert.ok(read.has('PORT') && read.has('NODE_ENV'), 'the readers are found');
  const missing = [...read].filter((name) => !documented.has(name));
  assert.deepEqual(missing, [], 'read by src/ but not documented');
});

test('every variable documented in docs/configuration.md is one the code reads', () => {
  assert.ok(documented.has('PORT'), 'the table is found');
  const unknown = [...documented].filter((name) => !read.has(name));
  assert.deepEqual(unknown, [], 'documented but never read');
});

test('every variable deploy/ and the Dockerfile set is documented', () => {
  const set = [...environmentNamesSet(loadKubernetesBase()), ...namesDockerfileSets()];
  assert.ok(set.includes('DATABASE_URL') && set.includes('NODE_ENV'), 'the settings are found');
  assert.deepEqual(
    set.filter((name) => !documented.has(name)),
    [],
    'set by deploy/ or the Dockerfile but not documented',
  );
});
