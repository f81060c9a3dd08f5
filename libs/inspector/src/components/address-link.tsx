// A link to an address's view.
import type { AddressJson } from "../api-types.js";
import { addressText } from "../format.js";
import { href } from "../router.js";

/** `namespace/type/id`, linking to the address view. */
export function AddressLink({ address }: { address: AddressJson }) {
  return (
    <a class="address" href={href("address", [address.namespace, address.type, address.id])}>
      <span class="ns">{address.namespace}/</span>
      <wbr />
      <span class="fn">{address.type}</span>
      <span class="ns">/</span>
      <wbr />
      <span class="id">{address.id}</span>
    </a>
  );
}

/** Plain text of an address, for titles. */
export function addressTitle(address: AddressJson): string {
  return addressText(address);
}
