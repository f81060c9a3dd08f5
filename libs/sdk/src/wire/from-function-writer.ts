// A hand-written encoder for FromFunction{invocation_result}: one sizing pass, then one write
// into a single buffer of the exact size. It writes the bytes the generated protobufjs encoder
// writes for the same input (fields in number order, proto3 defaults omitted, strings encoded by
// the same routines), so it can replace `FromFunction.encode(...).finish()` on the hot path.
// Holds only the byte layout: the shapes are in from-function-shapes.ts, their meaning in the SDK.

import protobuf from "protobufjs/minimal.js";
import type {
  WireAddress,
  WireDelayedInvocation,
  WireEgress,
  WireInt32Value,
  WireInvocation,
  WireInvocationResult,
  WireMutation,
  WireTextValue,
} from "./from-function-shapes.js";
import type { WireTypedValue } from "./typed-value.js";

const utf8 = protobuf.util.utf8;

// Sizes computed by the sizing pass, consumed in the same order by the write pass. Encoding is
// synchronous, so one module-level array is reused by every call.
let sizes: number[] = [];
let n = 0;

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  if (value < 0x800000000) return 5;
  if (value < 0x40000000000) return 6;
  if (value < 0x2000000000000) return 7;
  if (value < 0x100000000000000) return 8;
  return 9;
}

// Namespaces, function names and typenames repeat in every reply: the UTF-8 length of the last
// few short strings is remembered (by value; the same string instance compares fastest).
const LENGTH_SLOTS = 8;
const lengthKeys: string[] = new Array(LENGTH_SLOTS).fill("");
const lengthValues: number[] = new Array(LENGTH_SLOTS).fill(0);
let lengthNext = 0;

function utf8Length(value: string): number {
  if (value.length >= 40) return Buffer.byteLength(value, "utf8");
  for (let slot = 0; slot < LENGTH_SLOTS; slot++)
    if (lengthKeys[slot] === value) return lengthValues[slot]!;
  const bytes = utf8.length(value);
  lengthKeys[lengthNext] = value;
  lengthValues[lengthNext] = bytes;
  lengthNext = (lengthNext + 1) % LENGTH_SLOTS;
  return bytes;
}

function stringSize(value: string): number {
  const bytes = utf8Length(value);
  sizes[n++] = bytes;
  return 1 + varintSize(bytes) + bytes;
}

/** Size of a length-delimited sub-message field (tag + length + body) whose body size is known. */
function nested(slot: number, body: number, tagSize: number): number {
  sizes[slot] = body;
  return tagSize + varintSize(body) + body;
}

function sizeTypedValue(v: WireTypedValue): number {
  const slot = n++;
  let body = 0;
  if (v.typename != null && v.typename !== "") body += stringSize(v.typename);
  if (v.hasValue) body += 2;
  if (v.value?.length) body += 1 + varintSize(v.value.length) + v.value.length;
  return nested(slot, body, 1);
}

// Messages of a batch mostly go to the same address: the body of the last address written is
// kept, and an equal address is copied from it. The sizing pass decides (a negative size marks a
// copy) and moves the key; the write pass, in the same order, fills the bytes on a miss, so a copy
// always finds the bytes of the last miss before it.
const ADDRESS_CACHE_BYTES = 256;
const addressCache = new Uint8Array(ADDRESS_CACHE_BYTES);
let addressCacheLength = -1; // -1: empty
let addressNamespace: string | undefined;
let addressType: string | undefined;
let addressId: string | undefined;

function sizeAddress(a: WireAddress): number {
  const slot = n++;
  if (
    addressCacheLength >= 0 &&
    a.namespace === addressNamespace &&
    a.type === addressType &&
    a.id === addressId
  ) {
    sizes[slot] = ~addressCacheLength;
    return 1 + varintSize(addressCacheLength) + addressCacheLength;
  }
  let body = 0;
  if (a.namespace != null && a.namespace !== "") body += stringSize(a.namespace);
  if (a.type != null && a.type !== "") body += stringSize(a.type);
  if (a.id != null && a.id !== "") body += stringSize(a.id);
  if (
    body <= ADDRESS_CACHE_BYTES &&
    typeof a.namespace === "string" &&
    typeof a.type === "string" &&
    typeof a.id === "string"
  ) {
    addressNamespace = a.namespace;
    addressType = a.type;
    addressId = a.id;
    addressCacheLength = body;
  } else {
    addressCacheLength = -1;
  }
  return nested(slot, body, 1);
}

function sizeMutation(m: WireMutation): number {
  const slot = n++;
  let body = 0;
  if (m.mutationType != null && m.mutationType !== 0) body += 2;
  if (m.stateName != null && m.stateName !== "") body += stringSize(m.stateName);
  const value = m.stateValue;
  if (value != null) {
    body +=
      (value as WireInt32Value).int32 !== undefined
        ? sizeInt32Value(value as WireInt32Value)
        : sizeTypedValue(value as WireTypedValue);
  }
  return nested(slot, body, 1);
}

/** Size of an int value: typename, has_value and the value bytes `IntWrapper { sfixed32 }`. */
function sizeInt32Value(v: WireInt32Value): number {
  const slot = n++;
  // value (field 3): tag, length 5, then 0x0d and 4 bytes; absent for 0, as IntWrapper writes it
  return nested(slot, stringSize(v.typename) + 2 + (v.int32 !== 0 ? 7 : 0), 1);
}

/** Size of a text argument: typename, has_value and the value bytes `StringWrapper { value }`. */
function sizeTextValue(v: WireTextValue): number {
  const slot = n++;
  let body = stringSize(v.typename) + 2;
  const text = v.utf8Bytes;
  if (text > 0) {
    const wrapper = 1 + varintSize(text) + text;
    sizes[n++] = wrapper;
    sizes[n++] = text;
    body += 1 + varintSize(wrapper) + wrapper;
  }
  return nested(slot, body, 1);
}

function sizeInvocation(i: WireInvocation): number {
  const slot = n++;
  let body = 0;
  if (i.target != null) body += sizeAddress(i.target);
  const argument = i.argument;
  if (argument != null) {
    body +=
      (argument as WireTextValue).text !== undefined
        ? sizeTextValue(argument as WireTextValue)
        : sizeTypedValue(argument as WireTypedValue);
  }
  return nested(slot, body, 1);
}

function sizeDelayed(d: WireDelayedInvocation): number {
  const slot = n++;
  let body = 0;
  const delay = d.delayInMs;
  if (delay != null && delay !== 0) {
    if (!Number.isSafeInteger(delay) || delay < 0) throw new RangeError("unsupported delay");
    body += 1 + varintSize(delay);
  }
  if (d.target != null) body += sizeAddress(d.target);
  const argument = d.argument;
  if (argument != null) {
    body +=
      (argument as WireTextValue).text !== undefined
        ? sizeTextValue(argument as WireTextValue)
        : sizeTypedValue(argument as WireTypedValue);
  }
  if (d.isCancellationRequest) body += 2;
  if (d.cancellationToken != null && d.cancellationToken !== "")
    body += stringSize(d.cancellationToken);
  return nested(slot, body, 1);
}

function sizeEgress(e: WireEgress): number {
  const slot = n++;
  let body = 0;
  if (e.egressNamespace != null && e.egressNamespace !== "") body += stringSize(e.egressNamespace);
  if (e.egressType != null && e.egressType !== "") body += stringSize(e.egressType);
  if (e.argument != null) body += sizeTypedValue(e.argument);
  return nested(slot, body, 1);
}

let buf: Buffer = Buffer.alloc(0);
let pos = 0;
let cursor = 0;

function writeVarint(value: number): void {
  while (value > 0x7fffffff) {
    buf[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  while (value > 0x7f) {
    buf[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[pos++] = value;
}

function writeString(tag: number, value: string): void {
  buf[pos++] = tag;
  const bytes = sizes[cursor++]!;
  writeVarint(bytes);
  if (bytes === value.length) {
    // ASCII: one byte per character
    const out = buf;
    const at = pos;
    for (let i = 0; i < bytes; i++) out[at + i] = value.charCodeAt(i);
  } else if (value.length < 40) utf8.write(value, buf, pos);
  else buf.write(value, pos, bytes, "utf8");
  pos += bytes;
}

function writeHeader(tag: number): void {
  buf[pos++] = tag;
  writeVarint(sizes[cursor++]!);
}

function writeTypedValue(tag: number, v: WireTypedValue): void {
  writeHeader(tag);
  if (v.typename != null && v.typename !== "") writeString(0x0a, v.typename);
  if (v.hasValue) {
    buf[pos++] = 0x10;
    buf[pos++] = 1;
  }
  if (v.value?.length) {
    const value = v.value;
    const length = value.length;
    buf[pos++] = 0x1a;
    writeVarint(length);
    if (length <= 32) {
      const out = buf;
      const at = pos;
      for (let i = 0; i < length; i++) out[at + i] = value[i]!;
    } else buf.set(value, pos);
    pos += length;
  }
}

function writeAddress(tag: number, a: WireAddress): void {
  const size = sizes[cursor++]!;
  buf[pos++] = tag;
  if (size < 0) {
    const length = ~size;
    writeVarint(length);
    const out = buf;
    const at = pos;
    for (let i = 0; i < length; i++) out[at + i] = addressCache[i]!;
    pos += length;
    return;
  }
  writeVarint(size);
  const start = pos;
  if (a.namespace != null && a.namespace !== "") writeString(0x0a, a.namespace);
  if (a.type != null && a.type !== "") writeString(0x12, a.type);
  if (a.id != null && a.id !== "") writeString(0x1a, a.id);
  if (size <= ADDRESS_CACHE_BYTES) addressCache.set(buf.subarray(start, pos));
}

function writeMutation(m: WireMutation): void {
  writeHeader(0x0a);
  if (m.mutationType != null && m.mutationType !== 0) {
    buf[pos++] = 0x08;
    buf[pos++] = m.mutationType;
  }
  if (m.stateName != null && m.stateName !== "") writeString(0x12, m.stateName);
  const value = m.stateValue;
  if (value != null) {
    if ((value as WireInt32Value).int32 !== undefined) writeInt32Value(value as WireInt32Value);
    else writeTypedValue(0x1a, value as WireTypedValue);
  }
}

function writeInt32Value(v: WireInt32Value): void {
  writeHeader(0x1a);
  writeString(0x0a, v.typename);
  buf[pos++] = 0x10;
  buf[pos++] = 1;
  const value = v.int32;
  if (value !== 0) {
    const out = buf;
    out[pos] = 0x1a;
    out[pos + 1] = 5;
    out[pos + 2] = 0x0d;
    out[pos + 3] = value; // little-endian two's complement; a byte store keeps the low 8 bits
    out[pos + 4] = value >> 8;
    out[pos + 5] = value >> 16;
    out[pos + 6] = value >> 24;
    pos += 7;
  }
}

function writeTextValue(tag: number, v: WireTextValue): void {
  writeHeader(tag);
  writeString(0x0a, v.typename);
  buf[pos++] = 0x10;
  buf[pos++] = 1;
  if (v.utf8Bytes > 0) {
    buf[pos++] = 0x1a;
    writeVarint(sizes[cursor++]!);
    writeString(0x0a, v.text);
  }
}

function writeInvocation(i: WireInvocation): void {
  writeHeader(0x12);
  if (i.target != null) writeAddress(0x0a, i.target);
  const argument = i.argument;
  if (argument != null) {
    if ((argument as WireTextValue).text !== undefined)
      writeTextValue(0x12, argument as WireTextValue);
    else writeTypedValue(0x12, argument as WireTypedValue);
  }
}

function writeDelayed(d: WireDelayedInvocation): void {
  writeHeader(0x1a);
  if (d.delayInMs != null && d.delayInMs !== 0) {
    buf[pos++] = 0x08;
    writeVarint(d.delayInMs);
  }
  if (d.target != null) writeAddress(0x12, d.target);
  const argument = d.argument;
  if (argument != null) {
    if ((argument as WireTextValue).text !== undefined)
      writeTextValue(0x1a, argument as WireTextValue);
    else writeTypedValue(0x1a, argument as WireTypedValue);
  }
  if (d.isCancellationRequest) {
    buf[pos++] = 0x50;
    buf[pos++] = 1;
  }
  if (d.cancellationToken != null && d.cancellationToken !== "")
    writeString(0x5a, d.cancellationToken);
}

function writeEgress(e: WireEgress): void {
  writeHeader(0x22);
  if (e.egressNamespace != null && e.egressNamespace !== "") writeString(0x0a, e.egressNamespace);
  if (e.egressType != null && e.egressType !== "") writeString(0x12, e.egressType);
  if (e.argument != null) writeTypedValue(0x1a, e.argument);
}

/**
 * Encodes `FromFunction { invocation_result = result }`, byte for byte what
 * `FromFunction.encode({ invocationResult: result }).finish()` writes.
 * Mutation types must be 0 or 1 and delays safe integers >= 0 (a RangeError otherwise).
 */
export function encodeInvocationResult(result: WireInvocationResult): Uint8Array {
  return encodeReply(
    result.stateMutations,
    result.outgoingMessages,
    result.delayedInvocations,
    result.outgoingEgresses,
  );
}

/** {@link encodeInvocationResult} with the parts as arguments (no result object per reply). */
export function encodeReply(
  stateMutations: readonly WireMutation[],
  outgoingMessages: readonly WireInvocation[],
  delayedInvocations: readonly WireDelayedInvocation[],
  outgoingEgresses: readonly WireEgress[],
): Uint8Array {
  try {
    return encode(stateMutations, outgoingMessages, delayedInvocations, outgoingEgresses);
  } catch (error) {
    addressCacheLength = -1; // the sizing pass may have moved the key without the bytes
    throw error;
  }
}

function encode(
  stateMutations: readonly WireMutation[],
  outgoingMessages: readonly WireInvocation[],
  delayedInvocations: readonly WireDelayedInvocation[],
  outgoingEgresses: readonly WireEgress[],
): Uint8Array {
  n = 0;
  let body = 0;
  for (let i = 0; i < stateMutations.length; i++) {
    const type = stateMutations[i]!.mutationType;
    if (type !== 0 && type !== 1 && type != null) throw new RangeError("unsupported mutation type");
    body += sizeMutation(stateMutations[i]!);
  }
  for (let i = 0; i < outgoingMessages.length; i++) body += sizeInvocation(outgoingMessages[i]!);
  for (let i = 0; i < delayedInvocations.length; i++) body += sizeDelayed(delayedInvocations[i]!);
  for (let i = 0; i < outgoingEgresses.length; i++) body += sizeEgress(outgoingEgresses[i]!);

  const out = Buffer.allocUnsafe(2 + varintSize(body) + body);
  buf = out;
  pos = 0;
  cursor = 0;
  buf[pos++] = 0xa2; // field 100, wire type 2
  buf[pos++] = 0x06;
  writeVarint(body);
  for (let i = 0; i < stateMutations.length; i++) writeMutation(stateMutations[i]!);
  for (let i = 0; i < outgoingMessages.length; i++) writeInvocation(outgoingMessages[i]!);
  for (let i = 0; i < delayedInvocations.length; i++) writeDelayed(delayedInvocations[i]!);
  for (let i = 0; i < outgoingEgresses.length; i++) writeEgress(outgoingEgresses[i]!);
  buf = EMPTY_BUFFER;
  if (sizes.length > 4096) sizes = []; // a huge reply's sizes are not kept alive
  return out;
}

const EMPTY_BUFFER = Buffer.alloc(0);
