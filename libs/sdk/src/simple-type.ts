// The SimpleType interface: how a value travels as bytes under a typename. Types only; the
// implementations are in types/.

import type { TypeName } from "./type-name.js";

/**
 * A typed serializer: how values of type `T` travel as bytes, under a logical typename that
 * every SDK agrees on. Implement it for full control over serialization.
 */
export interface SimpleType<T> {
  /** The logical typename written next to every value of this type. */
  readonly typeName: TypeName;
  /** Encodes a value; throws an error that names the value when it cannot. */
  serialize(value: T): Uint8Array;
  /** Decodes bytes written by any SDK for this typename. */
  deserialize(bytes: Uint8Array): T;
}

/** The value type of a {@link SimpleType}. */
export type ValueOf<S> = S extends SimpleType<infer T> ? T : never;
