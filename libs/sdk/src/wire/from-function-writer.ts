// A hand-written encoder for FromFunction{invocation_result}: one pass, written back to front, so
// the length of each nested message is known when its header is written (no sizing pass, each
// string read once). It writes the bytes the generated protobufjs encoder writes for the same
// input (fields in number order, proto3 defaults omitted, strings encoded by the same routines),
// so it can replace `FromFunction.encode(...).finish()` on the hot path.
// Replies are written into a shared slab, as Node's Buffer pool does, and handed out as views of
// it: no allocation but the view for a small reply.
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

/** Size of the shared slab small replies are written into. */
const SLAB_BYTES = 32 * 1024;

// The shared slab: slab[top..] holds replies already handed out, [0, top) is free. A reply is
// written downwards from `top`; encoding is synchronous, so these are module-level.
let slab: Buffer = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabMemory: ArrayBufferLike = slab.buffer; // read once: the getter is a native call
let top = SLAB_BYTES;
// The buffer being written (the slab, or a larger one of its own for a large reply) and the
// position of the first byte written so far.
let buf: Buffer = slab;
let pos = 0;
let lastReplyBytes = 0;

/** Thrown when a reply does not fit in the space it is written into; it is then written again. */
class Overflow {}
const OVERFLOW = new Overflow();

function room(bytes: number): void {
  if (pos < bytes) throw OVERFLOW;
}

function byte(value: number): void {
  if (pos === 0) throw OVERFLOW;
  buf[--pos] = value;
}

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

/** Writes a varint (a safe integer >= 0) in front of what is written. */
function varint(value: number): void {
  if (value < 0x80) {
    byte(value);
    return;
  }
  const size = varintSize(value);
  room(size);
  pos -= size;
  let p = pos;
  while (value > 0x7fffffff) {
    buf[p++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  while (value > 0x7f) {
    buf[p++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[p] = value;
}

/** Writes the tag and length of a length-delimited field whose body ends at `end`. */
function header(tag: number, end: number): void {
  varint(end - pos);
  byte(tag);
}

/** Writes a string field: its UTF-8 bytes, its length and its tag. */
function string(tag: number, value: string): void {
  const n = value.length;
  if (pos >= n) {
    // ASCII, the common case: one byte per character, read once, last to first.
    const out = buf;
    let p = pos;
    let i = n;
    while (i > 0) {
      const c = value.charCodeAt(i - 1);
      if (c >= 0x80) break;
      out[--p] = c;
      i--;
    }
    if (i === 0) {
      pos = p;
      varint(n);
      byte(tag);
      return;
    }
  }
  // As the generated encoder: protobufjs's UTF-8 routines under 40 code units, Node's above.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: both count the same UTF-8 bytes
  const bytes = n < 40 ? utf8.length(value) : Buffer.byteLength(value, "utf8");
  room(bytes);
  pos -= bytes;
  if (n < 40) utf8.write(value, buf, pos);
  else buf.write(value, pos, bytes, "utf8");
  varint(bytes);
  byte(tag);
}

function typedValue(tag: number, v: WireTypedValue): void {
  const end = pos;
  const value = v.value;
  const length = value?.length;
  if (length) {
    room(length);
    pos -= length;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a copy loop for short values, buf.set for long ones: the same bytes
    if (length <= 32) {
      const out = buf;
      const at = pos;
      for (let i = 0; i < length; i++) out[at + i] = value[i]!;
    } else buf.set(value, pos);
    varint(length);
    byte(0x1a);
  }
  if (v.hasValue) {
    byte(1);
    byte(0x10);
  }
  if (v.typename != null && v.typename !== "") string(0x0a, v.typename);
  header(tag, end);
}

/** An int value: typename, has_value and the value bytes `IntWrapper { sfixed32 }`. */
function int32Value(tag: number, v: WireInt32Value): void {
  const end = pos;
  const value = v.int32;
  if (value !== 0) {
    // value (field 3): tag, length 5, then 0x0d and 4 bytes; absent for 0, as IntWrapper writes it
    room(7);
    pos -= 7;
    const out = buf;
    const at = pos;
    out[at] = 0x1a;
    out[at + 1] = 5;
    out[at + 2] = 0x0d;
    out[at + 3] = value; // little-endian two's complement; a byte store keeps the low 8 bits
    out[at + 4] = value >> 8;
    out[at + 5] = value >> 16;
    out[at + 6] = value >> 24;
  }
  byte(1);
  byte(0x10);
  string(0x0a, v.typename);
  header(tag, end);
}

/** A text argument: typename, has_value and the value bytes `StringWrapper { value }`. */
function textValue(tag: number, v: WireTextValue): void {
  const end = pos;
  if (v.text.length > 0) {
    string(0x0a, v.text);
    header(0x1a, end);
  }
  byte(1);
  byte(0x10);
  string(0x0a, v.typename);
  header(tag, end);
}

function argument(tag: number, a: WireTypedValue | WireTextValue): void {
  if ((a as WireTextValue).text !== undefined) textValue(tag, a as WireTextValue);
  else typedValue(tag, a as WireTypedValue);
}

// Messages of a batch mostly go to the same address: the body of the last address written in this
// reply is copied rather than encoded again (its strings compared by value; the same instances
// compare fastest).
let lastNamespace: string | undefined;
let lastType: string | undefined;
let lastId: string | undefined;
let lastStart = 0;
let lastEnd = 0;

function address(tag: number, a: WireAddress): void {
  const end = pos;
  const { namespace, type, id } = a;
  // The last-address cache only saves work: its key compares all three fields with ===, and equal
  // fields always encode to equal bytes (three absent fields to none), so a change to when it hits
  // or is filled writes the same reply.
  // Stryker disable ConditionalExpression,LogicalOperator,EqualityOperator: see above
  if (
    lastNamespace !== undefined &&
    namespace === lastNamespace &&
    type === lastType &&
    id === lastId
  ) {
    // Stryker restore all
    const length = lastEnd - lastStart;
    room(length);
    pos -= length;
    const out = buf;
    for (let i = 0; i < length; i++) out[pos + i] = out[lastStart + i]!;
  } else {
    if (id != null && id !== "") string(0x1a, id);
    if (type != null && type !== "") string(0x12, type);
    if (namespace != null && namespace !== "") string(0x0a, namespace);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BlockStatement: the cache above
    if (typeof namespace === "string" && typeof type === "string" && typeof id === "string") {
      lastNamespace = namespace;
      lastType = type;
      lastId = id;
      lastStart = pos;
      lastEnd = end;
    }
  }
  header(tag, end);
}

function mutation(m: WireMutation): void {
  const end = pos;
  const value = m.stateValue;
  if (value != null) {
    if ((value as WireInt32Value).int32 !== undefined) int32Value(0x1a, value as WireInt32Value);
    else typedValue(0x1a, value as WireTypedValue);
  }
  if (m.stateName != null && m.stateName !== "") string(0x12, m.stateName);
  if (m.mutationType != null && m.mutationType !== 0) {
    byte(m.mutationType);
    byte(0x08);
  }
  header(0x0a, end);
}

function invocation(i: WireInvocation): void {
  const end = pos;
  if (i.argument != null) argument(0x12, i.argument);
  if (i.target != null) address(0x0a, i.target);
  header(0x12, end);
}

function delayed(d: WireDelayedInvocation): void {
  const end = pos;
  if (d.cancellationToken != null && d.cancellationToken !== "") string(0x5a, d.cancellationToken);
  if (d.isCancellationRequest) {
    byte(1);
    byte(0x50);
  }
  if (d.argument != null) argument(0x1a, d.argument);
  if (d.target != null) address(0x12, d.target);
  const delay = d.delayInMs;
  if (delay != null && delay !== 0) {
    varint(delay);
    byte(0x08);
  }
  header(0x1a, end);
}

function egress(e: WireEgress): void {
  const end = pos;
  if (e.argument != null) typedValue(0x1a, e.argument);
  if (e.egressType != null && e.egressType !== "") string(0x12, e.egressType);
  if (e.egressNamespace != null && e.egressNamespace !== "") string(0x0a, e.egressNamespace);
  header(0x22, end);
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

/**
 * {@link encodeInvocationResult} with the parts as arguments (no result object per reply). The
 * reply is a Uint8Array view of a shared slab (as Node's pooled Buffers are): it stays valid, and
 * no later reply writes over it.
 */
export function encodeReply(
  stateMutations: readonly WireMutation[],
  outgoingMessages: readonly WireInvocation[],
  delayedInvocations: readonly WireDelayedInvocation[],
  outgoingEgresses: readonly WireEgress[],
): Uint8Array {
  for (let i = 0; i < stateMutations.length; i++) {
    const type = stateMutations[i]!.mutationType;
    if (type !== 0 && type !== 1 && type != null) throw new RangeError("unsupported mutation type");
  }
  for (let i = 0; i < delayedInvocations.length; i++) {
    const delay = delayedInvocations[i]!.delayInMs;
    if (delay != null && (!Number.isSafeInteger(delay) || delay < 0))
      throw new RangeError("unsupported delay");
  }
  // First into the free part of the slab; when the reply does not fit, into a fresh slab, then
  // into buffers of its own twice as large each time.
  // A slab with less room than twice the last reply is left at once (replies of a handler tend to
  // be alike in size), rather than after writing part of the reply in vain.
  let space = top < Math.min(2 * lastReplyBytes, SLAB_BYTES) ? SLAB_BYTES : top;
  for (;;) {
    if (space > top) {
      buf = Buffer.allocUnsafeSlow(space);
      if (space === SLAB_BYTES) {
        slab = buf;
        slabMemory = buf.buffer;
        top = SLAB_BYTES;
      }
    } else buf = slab;
    pos = space;
    lastNamespace = undefined;
    try {
      for (let i = outgoingEgresses.length - 1; i >= 0; i--) egress(outgoingEgresses[i]!);
      for (let i = delayedInvocations.length - 1; i >= 0; i--) delayed(delayedInvocations[i]!);
      for (let i = outgoingMessages.length - 1; i >= 0; i--) invocation(outgoingMessages[i]!);
      for (let i = stateMutations.length - 1; i >= 0; i--) mutation(stateMutations[i]!);
      header(0x06, space); // field 100, wire type 2: the tag is two bytes, a2 06
      byte(0xa2);
    } catch (error) {
      if (error !== OVERFLOW) {
        buf = slab;
        throw error;
      }
      space = space < SLAB_BYTES ? SLAB_BYTES : space * 2;
      continue;
    }
    // A plain Uint8Array: a Buffer (a subclass) costs about three times as much to create.
    // A large reply in a buffer of its own that it fills less than 3/4 of is copied out, so
    // that the reply holds no more memory than its size.
    const length = space - pos;
    const reply =
      buf === slab
        ? new Uint8Array(slabMemory, pos, length)
        : length * 4 < space * 3
          ? new Uint8Array(buf.subarray(pos, space))
          : new Uint8Array(buf.buffer, buf.byteOffset + pos, length);
    lastReplyBytes = length;
    if (buf === slab) top = pos;
    buf = slab;
    return reply;
  }
}
