// One invocation of the message flow: a summary line, and every effect when opened.
import type { InvocationJson } from "../api-types.js";
import { clockTime, duration } from "../format.js";
import { AddressLink } from "./address-link.js";
import { TimeView } from "./time-view.js";
import { InlineValue, valueSummary } from "./value-view.js";

function count(n: number, one: string, many = `${one}s`): string | null {
  return n === 0 ? null : `${n} ${n === 1 ? one : many}`;
}

/** An invocation: time, address, batch size, latency, outcome; the details inside. */
export function InvocationView({ entry, open = false }: { entry: InvocationJson; open?: boolean }) {
  const effects = [
    count(entry.mutations.length, "mutation"),
    count(entry.sends.length, "send"),
    count(entry.delayed.length, "delayed"),
    count(entry.cancellations.length, "cancellation"),
    count(entry.egress.length, "egress record"),
  ].filter((x): x is string => x !== null);
  return (
    <details class={`invocation outcome-${entry.outcome}`} open={open} data-testid="invocation">
      <summary>
        <span class="time mono" title={new Date(entry.at).toLocaleString()}>
          {clockTime(entry.at)}
        </span>
        <AddressLink address={entry.address} />
        <span class="muted small">
          batch {entry.batchSize} · {duration(entry.latencyMs)}
        </span>
        {entry.messages[0] ? (
          <code class="received muted" title="the first message of the batch">
            ← {valueSummary(entry.messages[0].argument)}
          </code>
        ) : null}
        {entry.outcome === "ok" ? (
          <span class="chips">
            {effects.length === 0 ? <span class="chip muted">no effects</span> : null}
            {effects.map((e) => (
              <span class="chip" key={e}>
                {e}
              </span>
            ))}
          </span>
        ) : (
          <span class="chip bad" title={entry.error ?? ""}>
            failed: {entry.error}
          </span>
        )}
      </summary>
      <div class="invocation-body">
        <h4>received</h4>
        <ul class="effects">
          {entry.messages.map((m, i) => (
            <li key={i}>
              {m.caller ? (
                <>
                  from <AddressLink address={m.caller} />
                </>
              ) : (
                <span class="muted">from the ingress</span>
              )}{" "}
              <InlineValue value={m.argument} />
            </li>
          ))}
        </ul>
        {entry.error ? (
          <>
            <h4>failure</h4>
            <p class="bad reason-block">{entry.error}</p>
            <p class="muted small">
              Nothing of the reply was applied; the batch stays queued and is retried.
            </p>
          </>
        ) : null}
        {entry.mutations.length > 0 ? (
          <>
            <h4>state mutations</h4>
            <ul class="effects">
              {entry.mutations.map((m) => (
                <li key={m.name}>
                  <code class="strong">{m.name}</code>{" "}
                  {m.kind === "delete" ? <span class="chip">deleted</span> : "="}{" "}
                  {m.value ? <InlineValue value={m.value} /> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {entry.sends.length > 0 ? (
          <>
            <h4>messages sent</h4>
            <ul class="effects">
              {entry.sends.map((s, i) => (
                <li key={i}>
                  → <AddressLink address={s.target} /> <InlineValue value={s.argument} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {entry.delayed.length > 0 ? (
          <>
            <h4>delayed messages</h4>
            <ul class="effects">
              {entry.delayed.map((d, i) => (
                <li key={i}>
                  → <AddressLink address={d.target} /> due <TimeView at={d.dueAt} />
                  {d.token ? (
                    <>
                      {" "}
                      token <code>{d.token}</code>
                    </>
                  ) : null}{" "}
                  <InlineValue value={d.argument} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {entry.cancellations.length > 0 ? (
          <>
            <h4>cancellations</h4>
            <ul class="effects">
              {entry.cancellations.map((c) => (
                <li key={c.token}>
                  token <code>{c.token}</code>{" "}
                  {c.cancelled ? (
                    <span class="chip">cancelled a pending message</span>
                  ) : (
                    <span class="chip muted">nothing was pending</span>
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {entry.egress.length > 0 ? (
          <>
            <h4>egress records</h4>
            <ul class="effects">
              {entry.egress.map((r) => (
                <li key={`${r.topic}:${r.offset}`}>
                  topic <code class="strong">{r.topic}</code> #{r.offset}
                  {r.key !== null ? (
                    <>
                      {" "}
                      key <code>{r.key}</code>
                    </>
                  ) : null}{" "}
                  <code>
                    {r.valueEncoding === "utf8" ? JSON.stringify(r.value) : `base64 ${r.value}`}
                  </code>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {entry.omitted > 0 ? (
          <p class="muted small">{entry.omitted} more item(s) not kept in the history.</p>
        ) : null}
      </div>
    </details>
  );
}
