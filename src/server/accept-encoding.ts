import type { ContentEncoding } from '../executor/compression.js';

/**
 * The coding to answer with, from an `Accept-Encoding` header (RFC 9110 section 12.5.3):
 * the highest q-value among br and gzip, br on a tie; undefined for identity.
 */
export function negotiateEncoding(header: string | null | undefined): ContentEncoding | undefined {
  if (!header) return undefined;
  const quality: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality[name.trim()] = Number.isFinite(value) ? value : 0;
  }
  const of = (coding: ContentEncoding) => quality[coding] ?? quality['*'] ?? 0;
  const best = of('br') >= of('gzip') ? 'br' : 'gzip';
  return of(best) > 0 ? best : undefined;
}
