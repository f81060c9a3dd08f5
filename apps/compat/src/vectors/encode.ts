// Canonical proto3 encodings of the built-in wrapper types (PROTOCOL.md §3), written by hand so
// the golden requests do not depend on the SDK under test.

function tagged(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

function varint(n: number): number[] {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return bytes;
}

export function encodeBool(v: boolean): Uint8Array {
  return v ? Uint8Array.of(0x08, 0x01) : new Uint8Array(0);
}

export function encodeInt(v: number): Uint8Array {
  if (v === 0) return new Uint8Array(0);
  const body = new Uint8Array(4);
  new DataView(body.buffer).setInt32(0, v, true);
  return tagged(0x0d, body);
}

export function encodeLong(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const body = new Uint8Array(8);
  new DataView(body.buffer).setBigInt64(0, v, true);
  return tagged(0x09, body);
}

/** A float given by its IEEE-754 bits, so NaN payloads and -0 are exact. */
export function encodeFloatBits(bits: number): Uint8Array {
  if (bits === 0) return new Uint8Array(0);
  const body = new Uint8Array(4);
  new DataView(body.buffer).setUint32(0, bits >>> 0, true);
  return tagged(0x0d, body);
}

export function encodeFloat(v: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, v);
  return encodeFloatBits(view.getUint32(0));
}

export function encodeDouble(v: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, v, true);
  if (body.every((b) => b === 0)) return new Uint8Array(0);
  return tagged(0x09, body);
}

export function encodeString(v: string): Uint8Array {
  if (v === "") return new Uint8Array(0);
  const utf8 = new TextEncoder().encode(v);
  const len = varint(utf8.length);
  const out = new Uint8Array(1 + len.length + utf8.length);
  out[0] = 0x0a;
  out.set(len, 1);
  out.set(utf8, 1 + len.length);
  return out;
}
