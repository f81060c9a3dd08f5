// Addresses: search by function type or id; each links to its state.
import { useEffect, useRef } from "preact/hooks";
import type { AddressesResponse } from "../api-types.js";
import { AddressLink } from "../components/address-link.js";
import { href, navigate, route } from "../router.js";
import { useApi } from "../use-api.js";

export function AddressesView() {
  const query = route.value.query;
  const q = query.get("q") ?? "";
  const type = query.get("type") ?? "";
  const params = new URLSearchParams({ limit: "200" });
  if (q) params.set("q", q);
  if (type) params.set("type", type);
  const { data, error } = useApi<AddressesResponse>(`addresses?${params}`, ["addresses"]);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!type) input.current?.focus();
  }, []);
  return (
    <section aria-labelledby="addresses-title">
      <h1 id="addresses-title">Addresses</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <label>
          <span>
            search <span class="muted">(type or id)</span>
          </span>
          <input
            ref={input}
            type="search"
            name="q"
            data-search
            placeholder="e.g. greeter or Bob"
            value={q}
            onInput={(e) =>
              navigate(
                href("addresses", [], { q: (e.target as HTMLInputElement).value, type }),
                true,
              )
            }
          />
        </label>
        {type ? (
          <span class="pill">
            type {type}{" "}
            <a href={href("addresses", [], { q })} aria-label="clear the type filter">
              ✕
            </a>
          </span>
        ) : null}
        {data ? (
          <span class="muted">
            {data.total} address{data.total === 1 ? "" : "es"}
            {data.total > data.addresses.length ? ` (first ${data.addresses.length} shown)` : ""}
          </span>
        ) : null}
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <table class="grid" data-testid="addresses">
          <thead>
            <tr>
              <th>address</th>
              <th class="num">state values</th>
              <th class="num">queued messages</th>
            </tr>
          </thead>
          <tbody>
            {data.addresses.length === 0 ? (
              <tr>
                <td colSpan={3} class="muted">
                  No address with state or queued messages matches.
                </td>
              </tr>
            ) : null}
            {data.addresses.map((a) => (
              <tr key={`${a.address.namespace}/${a.address.type}/${a.address.id}`}>
                <td>
                  <AddressLink address={a.address} />
                </td>
                <td class="num">{a.states}</td>
                <td class={`num ${a.queued > 0 ? "strong" : ""}`}>{a.queued}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
