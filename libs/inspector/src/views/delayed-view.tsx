// Delayed messages: pending ones with due time, target and token; recently cancelled ones marked.
import type { DelayedJson, DelayedResponse } from "../api-types.js";
import { AddressLink } from "../components/address-link.js";
import { TimeView } from "../components/time-view.js";
import { InlineValue } from "../components/value-view.js";
import { useApi } from "../use-api.js";

function Row({ d }: { d: DelayedJson }) {
  return (
    <tr class={d.status === "cancelled" ? "cancelled" : ""} data-status={d.status}>
      <td>
        {d.status === "cancelled" ? (
          <span class="pill bad">cancelled</span>
        ) : (
          <span class="pill ok">pending</span>
        )}
      </td>
      <td>
        <TimeView at={d.dueAt} />
      </td>
      <td>
        <AddressLink address={d.target} />
      </td>
      <td>
        <AddressLink address={d.sender} />
      </td>
      <td>{d.token ? <code>{d.token}</code> : <span class="muted">none</span>}</td>
      <td>
        <InlineValue value={d.argument} />
      </td>
      <td>{d.cancelledAt !== null ? <TimeView at={d.cancelledAt} /> : null}</td>
    </tr>
  );
}

export function DelayedView() {
  const { data, error } = useApi<DelayedResponse>("delayed", ["delayed"]);
  return (
    <section aria-labelledby="delayed-title">
      <h1 id="delayed-title">Delayed messages</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <>
          <p class="muted small">
            {data.pending.length} pending · {data.cancelled.length} recently cancelled (the runtime
            keeps the last {data.cancelledBound} cancellations)
          </p>
          <table class="grid" data-testid="delayed">
            <thead>
              <tr>
                <th>status</th>
                <th>due</th>
                <th>target</th>
                <th>sender</th>
                <th>cancellation token</th>
                <th>value</th>
                <th>cancelled</th>
              </tr>
            </thead>
            <tbody>
              {data.pending.length + data.cancelled.length === 0 ? (
                <tr>
                  <td colSpan={7} class="muted">
                    No delayed message.
                  </td>
                </tr>
              ) : null}
              {data.pending.map((d) => (
                <Row key={`p${d.seq}`} d={d} />
              ))}
              {data.cancelled.map((d) => (
                <Row key={`c${d.seq}`} d={d} />
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
