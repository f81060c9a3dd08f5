// One address: every state value decoded with its expiry, its queue, its delayed messages and
// its recent invocations.
import { addressPath } from "../api.js";
import type { AddressJson, AddressResponse } from "../api-types.js";
import { AddressLink } from "../components/address-link.js";
import { InvocationView } from "../components/invocation-view.js";
import { TimeView } from "../components/time-view.js";
import { InlineValue, ValueView } from "../components/value-view.js";
import { duration } from "../format.js";
import { href } from "../router.js";
import { useApi } from "../use-api.js";

export function AddressView({ address }: { address: AddressJson }) {
  const { data, error } = useApi<AddressResponse>(`addresses/${addressPath(address)}`, [
    "addresses",
    "delayed",
  ]);
  const functionType = `${address.namespace}/${address.type}`;
  return (
    <section aria-labelledby="address-title">
      <p class="crumbs">
        <a href={href("addresses")}>Addresses</a> ›{" "}
        <a href={href("addresses", [], { type: functionType })}>{functionType}</a> ›
      </p>
      <h1 id="address-title" class="mono">
        {functionType}/<span class="id">{address.id}</span>
      </h1>
      <p class="toolbar">
        <a class="button" href={href("send", [], { type: functionType, id: address.id })}>
          Send a message to it
        </a>
        <a class="button" href={href("flow", [], { type: functionType, id: address.id })}>
          Its message flow
        </a>
        {data && !data.served ? (
          <span class="pill bad">no endpoint of module.yaml serves {functionType}</span>
        ) : null}
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <>
          <h2>State</h2>
          {data.statesNote ? <p class="note">{data.statesNote}</p> : null}
          {data.states.length === 0 ? <p class="muted">No state values.</p> : null}
          <div class="states" data-testid="states">
            {data.states.map((s) => (
              <article class="state" key={s.name} data-state={s.name}>
                <header>
                  <h3 class="mono">{s.name}</h3>
                  {s.expiry && s.expiry.mode !== "none" ? (
                    <span class="pill" title="the state's TTL">
                      expires {s.expiry.mode === "after-write" ? "after write" : "after call"} +
                      {duration(s.expiry.ttlMs)}
                    </span>
                  ) : null}
                  {s.expiresAt !== null ? (
                    <span class="pill warn">
                      expires <TimeView at={s.expiresAt} />
                    </span>
                  ) : null}
                  {!s.registered ? <span class="pill">not registered since the start</span> : null}
                </header>
                {s.value ? <ValueView value={s.value} /> : <p class="muted">no value</p>}
              </article>
            ))}
          </div>
          <h2>
            Queued messages <span class="count">{data.queued.length}</span>
          </h2>
          {data.queued.length === 0 ? (
            <p class="muted">None waiting.</p>
          ) : (
            <table class="grid compact">
              <thead>
                <tr>
                  <th>#</th>
                  <th>from</th>
                  <th>value</th>
                  <th>queued</th>
                </tr>
              </thead>
              <tbody>
                {data.queued.map((m) => (
                  <tr key={m.seq}>
                    <td class="num">{m.seq}</td>
                    <td>
                      {m.caller ? (
                        <AddressLink address={m.caller} />
                      ) : (
                        <span class="muted">ingress</span>
                      )}
                    </td>
                    <td>
                      <InlineValue value={m.argument} />
                    </td>
                    <td>
                      <TimeView at={m.enqueuedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>
            Delayed messages to or from it <span class="count">{data.delayed.length}</span>
          </h2>
          {data.delayed.length === 0 ? (
            <p class="muted">None pending.</p>
          ) : (
            <ul class="effects">
              {data.delayed.map((d) => (
                <li key={d.seq}>
                  <AddressLink address={d.sender} /> → <AddressLink address={d.target} /> due{" "}
                  <TimeView at={d.dueAt} /> {d.token ? <code>{d.token}</code> : null}{" "}
                  <InlineValue value={d.argument} />
                </li>
              ))}
            </ul>
          )}
          <h2>
            Recent invocations <span class="count">{data.invocations.length}</span>
          </h2>
          {data.invocations.length === 0 ? (
            <p class="muted">None in the runtime's history.</p>
          ) : null}
          <div class="flow">
            {data.invocations.map((entry, i) => (
              <InvocationView key={entry.seq} entry={entry} open={i === 0} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
