import type { TypeName } from "./type-name.js";

/** The address of a function instance: its function type and an id within that type. */
export interface Address {
  readonly functionType: TypeName;
  readonly id: string;
}

/** Renders an address as `<namespace>/<name>:<id>` for logs and error messages. */
export function formatAddress(address: Address): string {
  return `${address.functionType.toString()}:${address.id}`;
}
