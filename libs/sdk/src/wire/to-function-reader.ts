// A hand-written reader for the part of ToFunction the dispatcher uses: one pass over the bytes,
// plain objects, no protobufjs Reader. It reads what the generated decoder reads (same strings,
// byte ranges of the payload instead of copies, later occurrences of a singular field replacing earlier ones,
// unknown fields skipped). For anything unusual (a field with an unexpected wire type, a group,
// a varint longer than 4 bytes, truncated input) it gives up with `undefined`; the caller then
// runs the generated decoder, which yields the same result or the same error message. Strings are
// read with protobufjs's own strict UTF-8 reader, as the generated decoder does. Holds no SDK
// object: the dispatcher turns these shapes into addresses, messages and state.

import protobuf from "protobufjs/minimal.js";
import type { WireTypedValue } from "./typed-value.js";

const utf8 = protobuf.util.utf8;
const EMPTY = new Uint8Array(0);

/** The wire shape of an Address (protobuf `io.statefun.sdk.reqreply.Address`). */
export interface WireReadAddress {
  namespace: string;
  type: string;
  id: string;
}

/**
 * A TypedValue as read from a request: its bytes stay a range of the request payload, made a view
 * (`value`) only when asked for; the built-in int and string types read the range in place.
 */
export class WireReadValue implements WireTypedValue {
  typename = "";
  hasValue = false;
  #view: Uint8Array | undefined;

  constructor(
    /** The request payload holding the value's bytes at [start, end). */
    readonly payload: Uint8Array,
    public start: number,
    public end: number,
  ) {}

  get value(): Uint8Array {
    if (this.#view === undefined)
      this.#view = this.start === this.end ? EMPTY : this.payload.subarray(this.start, this.end);
    return this.#view;
  }
}

/** One state of the batch. */
export interface WireReadState {
  stateName: string;
  stateValue: WireTypedValue | null;
}

/** One invocation of the batch. */
export interface WireReadInvocation {
  caller: WireReadAddress | null;
  argument: WireTypedValue | null;
}

/** The invocation batch of a ToFunction message. */
export interface WireReadBatch {
  target: WireReadAddress | null;
  state: WireReadState[];
  invocations: WireReadInvocation[];
}

// Typenames, function types, state names and ids repeat from request to request: a few recently
// read short strings are kept with their bytes, and equal bytes give back the same (flat) string,
// which also makes the later lookups and typename comparisons cheap. Two-way set associative, so
// two strings that hash alike (e.g. a caller's namespace and type) do not evict each other on
// every invocation; a miss replaces the way of the set that was not used last.
const INTERN_MAX_BYTES = 64;
const INTERN_SETS = 64; // by length and first, middle and last byte
const internBytes: (Uint8Array | undefined)[] = new Array(INTERN_SETS * 2).fill(undefined);
const internStrings: string[] = new Array(INTERN_SETS * 2).fill("");
const internLastWay = new Uint8Array(INTERN_SETS);

function intern(buf: Uint8Array, start: number, length: number): string {
  const set =
    (length * 7 + buf[start]! * 3 + buf[start + (length >> 1)]! * 5 + buf[start + length - 1]!) &
    (INTERN_SETS - 1);
  for (let way = 0; way < 2; way++) {
    const slot = set * 2 + way;
    const bytes = internBytes[slot];
    if (bytes !== undefined && bytes.length === length) {
      let i = 0;
      while (i < length && bytes[i] === buf[start + i]) i++;
      if (i === length) {
        internLastWay[set] = way;
        return internStrings[slot]!;
      }
    }
  }
  const text = utf8.readStrict(buf, start, start + length); // throws on invalid UTF-8
  const way = 1 - internLastWay[set]!;
  internLastWay[set] = way;
  internBytes[set * 2 + way] = buf.slice(start, start + length);
  internStrings[set * 2 + way] = text;
  return text;
}

/** Thrown internally when the fast path gives up. */
class GiveUp {}
const GIVE_UP = new GiveUp();

class Cursor {
  pos: number;
  constructor(
    public buf: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  varint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    if (b === undefined) throw GIVE_UP;
    let value = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    // At most 4 bytes (< 2^28): longer tags and lengths are left to the generated decoder.
    for (let shift = 7; shift < 28; shift += 7) {
      b = buf[pos++];
      if (b === undefined) throw GIVE_UP;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw GIVE_UP;
  }

  /** The end offset of a length-delimited field starting at the cursor (past its length). */
  delimited(limit: number): number {
    const length = this.varint32();
    const end = this.pos + length;
    if (end > limit) throw GIVE_UP;
    return end;
  }

  string(limit: number): string {
    const end = this.delimited(limit);
    const start = this.pos;
    this.pos = end;
    const length = end - start;
    if (length === 0) return "";
    if (length > INTERN_MAX_BYTES) return utf8.readStrict(this.buf, start, end);
    return intern(this.buf, start, length);
  }

  skip(wireType: number, limit: number): void {
    switch (wireType) {
      case 0:
        this.varint64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimited(limit);
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw GIVE_UP;
    }
    if (this.pos > limit) throw GIVE_UP;
  }

  varint64(): void {
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw GIVE_UP;
      if (b < 0x80) return;
    }
    throw GIVE_UP;
  }
}

function readAddress(c: Cursor, end: number): WireReadAddress {
  const address: WireReadAddress = { namespace: "", type: "", id: "" };
  while (c.pos < end) {
    const tag = c.varint32();
    if (tag === 0x0a) address.namespace = c.string(end);
    else if (tag === 0x12) address.type = c.string(end);
    else if (tag === 0x1a) address.id = c.string(end);
    else skipField(c, tag, end);
  }
  if (c.pos !== end) throw GIVE_UP;
  return address;
}

function readTypedValue(c: Cursor, end: number): WireReadValue {
  const value = new WireReadValue(c.buf, 0, 0);
  while (c.pos < end) {
    const tag = c.varint32();
    if (tag === 0x0a) value.typename = c.string(end);
    else if (tag === 0x10) value.hasValue = c.varint32() !== 0;
    else if (tag === 0x1a) {
      value.end = c.delimited(end);
      value.start = c.pos;
      c.pos = value.end;
    } else skipField(c, tag, end);
  }
  if (c.pos !== end) throw GIVE_UP;
  return value;
}

function readState(c: Cursor, end: number): WireReadState {
  const state: WireReadState = { stateName: "", stateValue: null };
  while (c.pos < end) {
    const tag = c.varint32();
    if (tag === 0x0a) state.stateName = c.string(end);
    else if (tag === 0x12) {
      const e = c.delimited(end);
      state.stateValue = readTypedValue(c, e);
    } else skipField(c, tag, end);
  }
  if (c.pos !== end) throw GIVE_UP;
  return state;
}

function readInvocation(c: Cursor, end: number): WireReadInvocation {
  const invocation: WireReadInvocation = { caller: null, argument: null };
  while (c.pos < end) {
    const tag = c.varint32();
    if (tag === 0x0a) {
      const e = c.delimited(end);
      invocation.caller = readAddress(c, e);
    } else if (tag === 0x12) {
      const e = c.delimited(end);
      invocation.argument = readTypedValue(c, e);
    } else skipField(c, tag, end);
  }
  if (c.pos !== end) throw GIVE_UP;
  return invocation;
}

const NO_STATES: WireReadState[] = [];
const NO_INVOCATIONS: WireReadInvocation[] = [];

function readBatch(c: Cursor, end: number): WireReadBatch {
  // The lists start as the shared empty ones and become one-element literals on the first entry
  // (push on an empty array reserves 17 slots; most batches carry one state, many one invocation).
  const batch: WireReadBatch = { target: null, state: NO_STATES, invocations: NO_INVOCATIONS };
  while (c.pos < end) {
    const tag = c.varint32();
    if (tag === 0x0a) {
      const e = c.delimited(end);
      batch.target = readAddress(c, e);
    } else if (tag === 0x12) {
      const e = c.delimited(end);
      const state = readState(c, e);
      if (batch.state === NO_STATES) batch.state = [state];
      else batch.state.push(state);
    } else if (tag === 0x1a) {
      const e = c.delimited(end);
      const invocation = readInvocation(c, e);
      if (batch.invocations === NO_INVOCATIONS) batch.invocations = [invocation];
      else batch.invocations.push(invocation);
    } else skipField(c, tag, end);
  }
  if (c.pos !== end) throw GIVE_UP;
  return batch;
}

function skipField(c: Cursor, tag: number, end: number): void {
  const field = tag >>> 3;
  const wireType = tag & 7;
  // A known field with another wire type: leave it to the generated decoder.
  if (field === 0 || field <= 3) throw GIVE_UP;
  c.skip(wireType, end);
}

const cursor = new Cursor(EMPTY, 0);

/**
 * Reads the invocation batch of ToFunction bytes. Returns `null` when the message has no batch,
 * and `undefined` when the fast path gives up (use the generated decoder then).
 */
export function readToFunction(payload: Uint8Array): WireReadBatch | null | undefined {
  // One cursor for every request (reading is synchronous); it lets go of the payload at the end.
  const c = cursor;
  c.buf = payload;
  c.pos = 0;
  const end = payload.length;
  let batch: WireReadBatch | null = null;
  try {
    while (c.pos < end) {
      const tag = c.varint32();
      if (tag === 802) {
        // field 100, wire type 2
        const e = c.delimited(end);
        batch = readBatch(c, e);
      } else {
        if (tag >>> 3 === 100 || tag >>> 3 === 0) throw GIVE_UP;
        c.skip(tag & 7, end);
      }
    }
    if (c.pos !== end) return undefined;
  } catch {
    // GIVE_UP, or invalid UTF-8 (the generated decoder reports it)
    return undefined;
  } finally {
    c.buf = EMPTY;
  }
  return batch;
}
