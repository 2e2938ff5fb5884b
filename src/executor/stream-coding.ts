import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * How a body sent in parts is coded, and the state carried from one part to the next (each part
 * may be written by another worker). gzip only: its deflate stream can be cut into blocks
 * compressed one at a time, while brotli's state cannot leave the compressor that made it.
 */
export type BodyCoding = { encoding: 'identity' } | { encoding: 'gzip'; crc: number; size: number };

/** Where a part sits in its body. */
export interface PartPosition {
  first: boolean;
  last: boolean;
}

const encoder = new TextEncoder();
// RFC 1952: magic, deflate, no flags, no mtime, no extra flags, unknown OS.
const gzipHeader = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
// An empty final block with fixed codes, after the byte alignment a sync flush leaves.
const finalBlock = Uint8Array.of(3, 0);
// As for large bodies sent whole (compression.ts): speed matters more than the last few percent.
const partLevel = 1;

/**
 * Encodes one part of a body. A gzip part is deflated on its own and ends with a sync flush, so
 * parts made anywhere, in order, form one gzip member; the CRC and length run through `coding`,
 * and the last part closes the member with them.
 */
export function encodePart(
  text: string,
  coding: BodyCoding,
  position: PartPosition,
): { bytes: Uint8Array; coding: BodyCoding } {
  const raw = encoder.encode(text);
  if (coding.encoding === 'identity') return { bytes: raw, coding };
  const deflated =
    raw.byteLength > 0 ? deflateRawSync(raw, { level: partLevel, finishFlush: constants.Z_SYNC_FLUSH }) : null;
  const next = { encoding: 'gzip' as const, crc: crc32(raw, coding.crc), size: (coding.size + raw.byteLength) >>> 0 };
  const pieces: Uint8Array[] = [];
  if (position.first) pieces.push(gzipHeader);
  if (deflated) pieces.push(deflated);
  if (position.last) pieces.push(finalBlock, trailer(next.crc, next.size));
  return { bytes: Buffer.concat(pieces), coding: next };
}

/** CRC-32 and input length modulo 2^32, little-endian. */
function trailer(crc: number, size: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, crc, true);
  view.setUint32(4, size, true);
  return bytes;
}

/** The coding a body sent in parts starts with. */
export const startCoding = (encoding: 'gzip' | undefined): BodyCoding =>
  encoding === 'gzip' ? { encoding, crc: 0, size: 0 } : { encoding: 'identity' };
