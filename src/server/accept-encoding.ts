import type { ContentEncoding } from '../executor/compression.js';

/** The codings to answer with: one for a body sent whole, one for a body sent in slices. */
export interface NegotiatedEncodings {
  /** The highest q-value among br and gzip, br on a tie; undefined for identity. */
  whole?: ContentEncoding;
  /** gzip when acceptable (a sliced body cannot be brotli: see executor/stream-coding.ts). */
  streamed?: 'gzip';
}

/** Reads an `Accept-Encoding` header (RFC 9110 section 12.5.3). */
export function negotiateEncodings(header: string | null | undefined): NegotiatedEncodings {
  if (!header) return {};
  const quality: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality[name.trim()] = Number.isFinite(value) ? value : 0;
  }
  const of = (coding: ContentEncoding) => quality[coding] ?? quality['*'] ?? 0;
  const best = of('br') >= of('gzip') ? 'br' : 'gzip';
  return {
    ...(of(best) > 0 && { whole: best }),
    ...(of('gzip') > 0 && { streamed: 'gzip' as const }),
  };
}
