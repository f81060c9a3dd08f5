/** The wire shape of a TypedValue (protobuf `io.statefun.sdk.reqreply.TypedValue`). */
export interface WireTypedValue {
  typename: string;
  hasValue: boolean;
  value: Uint8Array;
}
