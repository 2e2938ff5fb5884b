import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The content codings the service answers with, besides identity. */
export type ContentEncoding = 'br' | 'gzip';

/** Bodies smaller than this go uncompressed: the saving would not pay for the work. */
export const minCompressedBytes = 1024;

// Measured on a 70 MB export (random strings, bench/RESULTS.md): brotli quality 1 took 0.45 s
// (2.2x smaller), quality 4 2.5 s, the default 11 is far slower; gzip level 1 0.8 s (2.4x),
// level 6 1.6 s. Pages of a few KB take under 1 ms at the better settings.
const largeBodyBytes = 1 << 20;

/** Compresses a body with settings chosen by its size (fast for exports, smaller for pages). */
export function compress(bytes: Uint8Array, encoding: ContentEncoding): Buffer {
  const large = bytes.byteLength >= largeBodyBytes;
  if (encoding === 'gzip') return gzipSync(bytes, { level: large ? 1 : 6 });
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: large ? 1 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
    },
  });
}
