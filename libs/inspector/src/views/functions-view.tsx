// Functions: each function type of module.yaml and of the traffic, with its endpoint, health,
// calls per second, in-flight batches and queue depth.
import type { FunctionsResponse } from "../api-types.js";
import { TimeView } from "../components/time-view.js";
import { duration } from "../format.js";
import { href } from "../router.js";
import { useApi } from "../use-api.js";

export function FunctionsView() {
  const { data, error } = useApi<FunctionsResponse>("functions", ["functions"]);
  return (
    <section aria-labelledby="functions-title">
      <h1 id="functions-title">Functions</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <>
          <table class="grid" data-testid="functions">
            <thead>
              <tr>
                <th>function type</th>
                <th>health</th>
                <th class="num" title={`calls per second over the last ${data.windowSeconds} s`}>
                  calls/s
                </th>
                <th class="num">calls</th>
                <th class="num" title="batches sent and not answered yet">
                  in flight
                </th>
                <th class="num" title="messages waiting in its addresses' queues">
                  queued
                </th>
                <th class="num">addresses</th>
                <th>endpoint</th>
              </tr>
            </thead>
            <tbody>
              {data.functions.length === 0 ? (
                <tr>
                  <td colSpan={8} class="muted">
                    No function called yet. Send a message (7) to get going.
                  </td>
                </tr>
              ) : null}
              {data.functions.map((f) => (
                <tr key={f.functionType} class={f.health.status === "failed" ? "row-bad" : ""}>
                  <td>
                    <a href={href("addresses", [], { type: f.functionType })} class="mono strong">
                      {f.functionType}
                    </a>
                  </td>
                  <td>
                    <span class={`health health-${f.health.status}`}>
                      {f.health.status === "ok"
                        ? "● ok"
                        : f.health.status === "failed"
                          ? "● failing"
                          : "○ not called yet"}
                    </span>
                    {f.health.at !== null ? (
                      <span class="muted small">
                        {" "}
                        <TimeView at={f.health.at} />
                        {f.lastLatencyMs !== null ? ` · ${duration(f.lastLatencyMs)}` : ""}
                      </span>
                    ) : null}
                    {f.health.reason ? (
                      <div class="reason" title={f.health.reason}>
                        {f.health.consecutiveFailures > 1
                          ? `${f.health.consecutiveFailures}× `
                          : ""}
                        {f.health.reason}
                      </div>
                    ) : null}
                  </td>
                  <td class="num">{f.callsPerSecond.toFixed(1)}</td>
                  <td class="num">{f.calls}</td>
                  <td class="num">{f.inFlight}</td>
                  <td class={`num ${f.queued > 0 ? "strong" : ""}`}>{f.queued}</td>
                  <td class="num">{f.addresses}</td>
                  <td>
                    {f.url ? (
                      <>
                        <code class="small">{f.url}</code>
                        <div class="muted small">pattern {f.pattern}</div>
                      </>
                    ) : (
                      <span class="bad">no endpoint serves it</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Endpoints of module.yaml</h2>
          <table class="grid compact">
            <thead>
              <tr>
                <th>functions</th>
                <th>urlPathTemplate</th>
                <th class="num">max batch</th>
                <th class="num">call budget</th>
                <th>declared in</th>
              </tr>
            </thead>
            <tbody>
              {data.endpoints.map((e) => (
                <tr key={e.pattern + e.source}>
                  <td class="mono">{e.pattern}</td>
                  <td>
                    <code class="small">{e.urlPathTemplate}</code>
                  </td>
                  <td class="num">{e.maxNumBatchRequests <= 0 ? "∞" : e.maxNumBatchRequests}</td>
                  <td class="num">{duration(e.callTimeoutMs)}</td>
                  <td class="muted small">{e.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
