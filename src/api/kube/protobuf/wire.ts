/**
 * @module
 * The protobuf wire format, read only: a message is a run of (field number, wire type, value)
 * records. Enough for the request bodies kubectl's typed clients send
 * (`application/vnd.kubernetes.protobuf`); schemas give the records meaning (`messages.ts`).
 *
 * @example
 * readFields(new Uint8Array([0x0a, 0x01, 0x78])) // [{ field: 1, wireType: 2, bytes: Uint8Array [0x78] }]
 */

export interface WireField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: 0 | 1 | 2 | 5;
  /** Varint and fixed values (numbers beyond 2^53 lose precision, as JSON numbers do). */
  value?: number;
  bytes?: Uint8Array;
}

export class ProtobufError extends Error {}

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const byte = buf[i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new ProtobufError("truncated varint");
}

const readFixed = (buf: Uint8Array, at: number, size: 4 | 8): number => {
  if (at + size > buf.length) throw new ProtobufError("truncated fixed-width value");
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + buf[at + i]!;
  return value;
};

export function readFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = readVarint(buf, at);
    at = next;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new ProtobufError("field number 0");
    switch (wireType) {
      case 0: {
        const [value, after] = readVarint(buf, at);
        fields.push({ field, wireType, value });
        at = after;
        break;
      }
      case 1:
        fields.push({ field, wireType, value: readFixed(buf, at, 8) });
        at += 8;
        break;
      case 2: {
        const [length, start] = readVarint(buf, at);
        if (start + length > buf.length) throw new ProtobufError("truncated length-delimited field");
        fields.push({ field, wireType, bytes: buf.subarray(start, start + length) });
        at = start + length;
        break;
      }
      case 5:
        fields.push({ field, wireType, value: readFixed(buf, at, 4) });
        at += 4;
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}
