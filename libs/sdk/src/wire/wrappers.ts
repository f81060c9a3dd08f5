// Decoders of the one-field wrapper messages of the built-in types (protobuf
// `io.statefun.sdk.types`), for any valid encoding. The built-in types write and read the
// canonical bytes by hand and fall back to these; what a value means belongs to them, not here.

import protobuf from "protobufjs/minimal.js";
import { io } from "../generated/statefun.js";

const wrappers = io.statefun.sdk.types;

/** The value of a BooleanWrapper. */
export function decodeBooleanWrapper(bytes: Uint8Array): boolean {
  return wrappers.BooleanWrapper.decode(bytes).value;
}

/** The value of an IntWrapper (sfixed32). */
export function decodeIntWrapper(bytes: Uint8Array): number {
  return wrappers.IntWrapper.decode(bytes).value;
}

/** The value of a FloatWrapper. */
export function decodeFloatWrapper(bytes: Uint8Array): number {
  return wrappers.FloatWrapper.decode(bytes).value;
}

/** The value of a DoubleWrapper. */
export function decodeDoubleWrapper(bytes: Uint8Array): number {
  return wrappers.DoubleWrapper.decode(bytes).value;
}

/** The value of a StringWrapper. */
export function decodeStringWrapper(bytes: Uint8Array): string {
  return wrappers.StringWrapper.decode(bytes).value;
}

/**
 * The value of a LongWrapper (sfixed64) as a bigint. Read by hand: the generated decoder reads
 * sfixed64 as a JS number (the code is generated with --force-number), which loses precision.
 */
export function decodeLongWrapper(bytes: Uint8Array): bigint {
  const reader = protobuf.Reader.create(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let result = 0n;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 0x09) {
      if (reader.pos + 8 > reader.len) throw new Error("truncated sfixed64 field");
      result = view.getBigInt64(reader.pos, true);
      reader.skip(8);
    } else {
      reader.skipType(tag & 7);
    }
  }
  return result;
}
