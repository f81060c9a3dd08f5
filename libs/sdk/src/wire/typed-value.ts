// The wire shape of a TypedValue, the typename-and-bytes pair of every value on the wire. Type
// only; no encoding.

/** The wire shape of a TypedValue (protobuf `io.statefun.sdk.reqreply.TypedValue`). */
export interface WireTypedValue {
  typename: string;
  hasValue: boolean;
  value: Uint8Array;
}
