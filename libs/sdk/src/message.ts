// The message a function receives: a typename and value bytes, read with `as(type)`. Holds no
// protobuf: the dispatcher hands it the typename and bytes it decoded through wire/.

import { MessageTypeError, SerializationError } from "./errors.js";
import { toTypedValue } from "./message-builder.js";
import type { SimpleType } from "./simple-type.js";
import { type TypeName, typeNameFrom } from "./type-name.js";
import {
  BoolType,
  deserializeRange,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  StringType,
} from "./types/built-in-types.js";
import { WireReadValue } from "./wire/to-function-reader.js";
import type { WireTypedValue } from "./wire/typed-value.js";

const EMPTY = new Uint8Array(0);

let fromRange: (typeName: string, bytes: Uint8Array, start: number, end: number) => Message;

/** The message of a request's argument (`null`: none): its value stays a range of the payload. */
export function messageFromWire(argument: WireTypedValue | null): Message {
  if (argument === null) return new Message("");
  if (argument instanceof WireReadValue)
    return fromRange(argument.typename, argument.payload, argument.start, argument.end);
  return new Message(argument.typename, argument.value);
}

/**
 * A message received by a function: a typed value the function reads with `as(type)`.
 *
 * The handler builds the messages of a request. Tests and tools build one with
 * {@link Message.of} from a value, or with the constructor from a typename and bytes.
 */
export class Message {
  // The typename stays the wire string: it is parsed into a TypeName only when asked for, so
  // handling a message costs no parsing.
  readonly #typeName: string;
  // The value is bytes[start..end): a message read from a request keeps a range of the payload,
  // and the built-in types read it in place (a view is made only for rawValue() or other types).
  #bytes: Uint8Array;
  #start = 0;
  #end: number;

  /**
   * A message whose value is `value`, bytes encoded under `typeName` (e.g. read from a store or
   * from the wire). `null` or `undefined` bytes mean a message without a value (empty bytes).
   */
  constructor(typeName: string, value?: Uint8Array | null) {
    this.#typeName = typeName;
    this.#bytes = value ?? EMPTY;
    this.#end = this.#bytes.length;
  }

  static {
    fromRange = (typeName, bytes, start, end) => {
      const message = new Message(typeName, bytes);
      message.#start = start;
      message.#end = end;
      return message;
    };
  }

  /**
   * The message a function receives when it is sent `value`, encoded exactly as `ctx.send`
   * encodes it: with `valueType`, or for a string, boolean or bigint with the deduced type
   * (StringType, BoolType, Int64Type). Throws a ConfigurationError for a value it cannot
   * encode, as `ctx.send` does.
   *
   * @example fn(ctx, Message.of("Alice")); fn(ctx, Message.of(7, Int32Type));
   */
  static of(value: string | boolean | bigint): Message;
  static of<T>(value: T, valueType: SimpleType<T>): Message;
  static of(value: unknown, valueType?: SimpleType<unknown>): Message {
    const typed = toTypedValue(value, valueType, "Message.of");
    return new Message(typed.typename, typed.value);
  }

  /** Whether the value's typename is the typename of `type`. */
  is(type: SimpleType<unknown>): boolean {
    return this.#typeName === type.typeName.toString();
  }

  /** Decodes the value with `type`; throws a {@link MessageTypeError} when the typename differs. */
  as<T>(type: SimpleType<T>): T {
    const expected = type.typeName.toString();
    if (this.#typeName !== expected) {
      throw new MessageTypeError(
        `message has type ${this.#typeName || "(none)"}, not ${expected}: check message.is(type) or message.valueTypeName() before message.as(type)`,
      );
    }
    try {
      return deserializeRange(type, this.#bytes, this.#start, this.#end);
    } catch (error) {
      // Name the message, e.g. for a string value that is not valid UTF-8. A subclass (such as
      // a registry type's validation error) is the user's to catch by class: it passes as is.
      if (error instanceof SerializationError && error.constructor === SerializationError) {
        throw new SerializationError(`the message's value (type ${expected}): ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** The typename of the value. */
  valueTypeName(): TypeName {
    return typeNameFrom(this.#typeName);
  }

  /** The raw value bytes (empty for a message without a value). */
  rawValue(): Uint8Array {
    if (this.#start !== 0 || this.#end !== this.#bytes.length) {
      this.#bytes = this.#bytes.subarray(this.#start, this.#end);
      this.#start = 0;
    }
    return this.#bytes;
  }

  /** True when the value is a `io.statefun.types/bool`. */
  isBool(): boolean {
    return this.is(BoolType);
  }
  /** The value read as a `io.statefun.types/bool`; throws a `MessageTypeError` when it is another type. */
  asBool(): boolean {
    return this.as(BoolType);
  }
  /** True when the value is a `io.statefun.types/int`. */
  isInt32(): boolean {
    return this.is(Int32Type);
  }
  /** The value read as a `io.statefun.types/int`; throws a `MessageTypeError` when it is another type. */
  asInt32(): number {
    return this.as(Int32Type);
  }
  /** True when the value is a `io.statefun.types/long`. */
  isInt64(): boolean {
    return this.is(Int64Type);
  }
  /** The value read as a `io.statefun.types/long`; throws a `MessageTypeError` when it is another type. */
  asInt64(): bigint {
    return this.as(Int64Type);
  }
  /** True when the value is a `io.statefun.types/float`. */
  isFloat32(): boolean {
    return this.is(Float32Type);
  }
  /** The value read as a `io.statefun.types/float`; throws a `MessageTypeError` when it is another type. */
  asFloat32(): number {
    return this.as(Float32Type);
  }
  /** True when the value is a `io.statefun.types/double`. */
  isFloat64(): boolean {
    return this.is(Float64Type);
  }
  /** The value read as a `io.statefun.types/double`; throws a `MessageTypeError` when it is another type. */
  asFloat64(): number {
    return this.as(Float64Type);
  }
  /** True when the value is a `io.statefun.types/string`. */
  isString(): boolean {
    return this.is(StringType);
  }
  /** The value read as a `io.statefun.types/string`; throws a `MessageTypeError` when it is another type. */
  asString(): string {
    return this.as(StringType);
  }
}
