// Egress: each topic with its record count, and its latest records decoded as the egress API does.
import type { TopicResponse, TopicsResponse } from "../api-types.js";
import { TimeView } from "../components/time-view.js";
import { href, route } from "../router.js";
import { useApi } from "../use-api.js";

function Records({ topic }: { topic: string }) {
  const { data, error } = useApi<TopicResponse>(`egress/${encodeURIComponent(topic)}?limit=50`, [
    "egress",
  ]);
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!data) return null;
  return (
    <>
      <h2>
        {topic} <span class="count">{data.total} records</span>
      </h2>
      <p class="muted small">
        The latest {Math.min(data.limit, data.total)}, newest first. Read them all with{" "}
        <code>curl "&lt;egress&gt;/{topic}/records?from=0"</code>.
      </p>
      <table class="grid" data-testid="records">
        <thead>
          <tr>
            <th class="num">offset</th>
            <th>key</th>
            <th>value</th>
            <th>kind</th>
            <th>written</th>
          </tr>
        </thead>
        <tbody>
          {data.records.map((r) => (
            <tr key={r.offset}>
              <td class="num">{r.offset}</td>
              <td>{r.key !== null ? <code>{r.key}</code> : <span class="muted">none</span>}</td>
              <td>
                {r.decoded.text !== undefined ? (
                  <pre class="value json">{r.decoded.text}</pre>
                ) : r.valueEncoding === "utf8" ? (
                  <code class="strong">{r.value}</code>
                ) : (
                  <code title="not UTF-8: base64, as the egress API lists it">
                    base64 {r.value}
                  </code>
                )}
              </td>
              <td class="small">
                {r.kind} · <span class="muted">{r.egress}</span>
              </td>
              <td>
                <TimeView at={r.timestamp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function EgressView() {
  const { data, error } = useApi<TopicsResponse>("egress", ["egress"]);
  const selected = route.value.rest.join("/") || data?.topics[0]?.topic || "";
  return (
    <section aria-labelledby="egress-title">
      <h1 id="egress-title">Egress</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <table class="grid compact" data-testid="topics">
          <thead>
            <tr>
              <th>topic</th>
              <th>kind</th>
              <th class="num">records</th>
              <th class="num" title="not consumed through the egress API's GET /<topic> yet">
                unread
              </th>
            </tr>
          </thead>
          <tbody>
            {data.topics.length === 0 ? (
              <tr>
                <td colSpan={4} class="muted">
                  No egress record yet.
                </td>
              </tr>
            ) : null}
            {data.topics.map((t) => (
              <tr key={t.topic} class={t.topic === selected ? "selected" : ""} data-topic={t.topic}>
                <td>
                  <a
                    class="mono strong"
                    href={href("egress", [t.topic])}
                    aria-current={t.topic === selected ? "true" : undefined}
                  >
                    {t.topic}
                  </a>
                </td>
                <td>{t.kind}</td>
                <td class="num" data-testid="record-count">
                  {t.records}
                </td>
                <td class="num">{t.unread}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {selected ? <Records topic={selected} /> : null}
    </section>
  );
}
