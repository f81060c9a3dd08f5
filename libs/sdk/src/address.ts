// The address of a function instance and the one way addresses are printed across the packages.
// Holds no parsing of typenames (type-name.ts).

import type { TypeName } from "./type-name.js";

/** The address of a function instance: its function type and an id within that type. */
export interface Address {
  /** The function type, e.g. `com.example.fns/greeter`. */
  readonly functionType: TypeName;
  /** The instance id within the function type (e.g. a user name); state is scoped to it. */
  readonly id: string;
}

/** An address as three strings, as the runtime keys it and as it travels on the wire. */
export interface AddressParts {
  /** The function type's namespace. */
  readonly namespace: string;
  /** The function type's name. */
  readonly type: string;
  /** The instance id. */
  readonly id: string;
}

/**
 * Renders an address as `<namespace>/<name>:<id>` for logs and error messages; every package
 * prints addresses with it.
 */
export function formatAddress(address: Address | AddressParts): string {
  return "functionType" in address
    ? `${address.functionType.toString()}:${address.id}`
    : `${address.namespace}/${address.type}:${address.id}`;
}
