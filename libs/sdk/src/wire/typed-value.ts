// The wire shape of a TypedValue, the typename-and-bytes pair of every value on the wire. Type
// only; no encoding.

/** The wire shape of a TypedValue (protobuf `io.statefun.sdk.reqreply.TypedValue`). */
export interface WireTypedValue {
  /** The value's typename, e.g. `io.statefun.types/string`. */
  typename: string;
  /** False for an absent value (e.g. a state never written). */
  hasValue: boolean;
  /** The serialized bytes. */
  value: Uint8Array;
}
