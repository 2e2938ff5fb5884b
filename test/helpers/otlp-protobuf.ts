import type { ReceivedSpan } from './otlp-receiver.js';

/**
 * Decodes an OTLP `ExportTraceServiceRequest` in protobuf, written from the field numbers of
 * opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1). Only what the tests
 * read is kept; any other field is skipped by its wire type, as protobuf readers do.
 */
export function decodeTraceRequest(bytes: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of repeated(bytes, 1)) {
    const resource = keyValues(repeated(single(resourceSpans, 1) ?? new Uint8Array(), 1));
    for (const scopeSpans of repeated(resourceSpans, 2)) {
      for (const span of repeated(scopeSpans, 2)) spans.push(decodeSpan(span, resource));
    }
  }
  return spans;
}

function decodeSpan(bytes: Uint8Array, resource: Record<string, unknown>): ReceivedSpan {
  const fields = readFields(bytes);
  const field = (number: number) => fields.find((entry) => entry.number === number)?.value;
  const status = readFields((field(15) as Uint8Array | undefined) ?? new Uint8Array());
  return {
    traceId: hex(field(1)),
    spanId: hex(field(2)),
    parentSpanId: hex(field(4)),
    name: text(field(5)),
    kind: Number(field(6) ?? 0n),
    startNs: (field(7) as bigint | undefined) ?? 0n,
    endNs: (field(8) as bigint | undefined) ?? 0n,
    attributes: keyValues(fields.filter((entry) => entry.number === 9).map((entry) => entry.value as Uint8Array)),
    status: {
      code: Number(status.find((entry) => entry.number === 3)?.value ?? 0n),
      message: text(status.find((entry) => entry.number === 2)?.value) || undefined,
    },
    resource,
  };
}

/** KeyValue { string key = 1; AnyValue value = 2 }; AnyValue { string 1, bool 2, int64 3, double 4 }. */
function keyValues(entries: Uint8Array[]): Record<string, unknown> {
  return Object.fromEntries(
    entries.map((entry) => {
      const value = readFields(single(entry, 2) ?? new Uint8Array())[0];
      const decoded =
        value?.number === 1
          ? text(value.value)
          : value?.number === 2
            ? value.value === 1n
            : value?.number === 3
              ? Number(BigInt.asIntN(64, value.value as bigint))
              : value?.number === 4
                ? Buffer.from((value.value as bigint).toString(16).padStart(16, '0'), 'hex').readDoubleBE()
                : undefined;
      return [text(single(entry, 1)), decoded];
    }),
  );
}

interface Field {
  number: number;
  /** A varint or fixed number as bigint; a length-delimited field as its bytes. */
  value: bigint | Uint8Array;
}

function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) fields.push({ number, value: varint() });
    else if (wireType === 1) {
      fields.push({ number, value: view.getBigUint64(at, true) });
      at += 8;
    } else if (wireType === 2) {
      const length = Number(varint());
      fields.push({ number, value: bytes.subarray(at, at + length) });
      at += length;
    } else if (wireType === 5) {
      fields.push({ number, value: BigInt(view.getUint32(at, true)) });
      at += 4;
    } else throw new Error(`unsupported wire type ${wireType}`);
  }
  return fields;
}

const repeated = (bytes: Uint8Array, number: number) =>
  readFields(bytes)
    .filter((field) => field.number === number)
    .map((field) => field.value as Uint8Array);

const single = (bytes: Uint8Array, number: number) => repeated(bytes, number)[0];

const hex = (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : '');

const text = (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : '');
