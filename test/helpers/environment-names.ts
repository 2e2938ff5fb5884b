import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config.js';

const root = new URL('../../../', import.meta.url);

/** Every environment variable name `loadConfig` reads, recorded as it reads them. */
export function namesConfigReads(): Set<string> {
  const read = new Set<string>();
  loadConfig(
    new Proxy({} as Record<string, string | undefined>, {
      get(_, name) {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    }),
  );
  return read;
}

/**
 * The names read as `process.env.NAME` anywhere in src/, and in `src/config.ts` as `env.NAME` or
 * `(env, 'NAME'` (which also finds reads `namesConfigReads` misses because they depend on other
 * values). Any other use of `process.env` (an index by a computed name, the whole object passed
 * on) throws, because then no name can be checked; `src/config.ts` alone may take the whole object.
 */
export function namesSourceReads(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(new URL('src/', root))) {
    const text = readFileSync(file, 'utf8');
    if (file.pathname.endsWith('/src/config.ts')) {
      for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|, '([A-Z][A-Z0-9_]*)')/g)) {
        names.add(match[1] ?? match[2] ?? '');
      }
    }
    for (const match of text.matchAll(/process\.env(\.[A-Z][A-Z0-9_]*)?/g)) {
      if (match[1]) names.add(match[1].slice(1));
      else if (!file.pathname.endsWith('/src/config.ts')) {
        throw new Error(`${file.pathname} reads process.env without naming the variable`);
      }
    }
  }
  return names;
}

function sourceFiles(directory: URL): URL[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sourceFiles(new URL(`${entry.name}/`, directory));
    return entry.name.endsWith('.ts') ? [new URL(entry.name, directory)] : [];
  });
}
