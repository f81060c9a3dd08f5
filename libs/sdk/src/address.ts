import type { TypeName } from "./type-name.js";

/** The address of a function instance: its function type and an id within that type. */
export interface Address {
  /** The function type, e.g. `com.example.fns/greeter`. */
  readonly functionType: TypeName;
  /** The instance id within the function type (e.g. a user name); state is scoped to it. */
  readonly id: string;
}

/** Renders an address as `<namespace>/<name>:<id>` for logs and error messages. */
export function formatAddress(address: Address): string {
  return `${address.functionType.toString()}:${address.id}`;
}
