// The message flow: recent invocations, live, filtered by function type or id.
import { useSignal } from "@preact/signals";
import type { OverviewResponse } from "../api-types.js";
import { InvocationView } from "../components/invocation-view.js";
import { liveInvocations, PAGE_INVOCATION_BOUND, skippedInvocations } from "../live.js";
import { href, navigate, route } from "../router.js";
import { useApi } from "../use-api.js";

export function FlowView() {
  const query = route.value.query;
  const type = query.get("type") ?? "";
  const id = query.get("id") ?? "";
  const paused = useSignal<typeof liveInvocations.value | null>(null);
  const overview = useApi<OverviewResponse>("overview", []);
  const all = paused.value ?? liveInvocations.value;
  const shown = all.filter(
    (e) =>
      (type === "" || `${e.address.namespace}/${e.address.type}`.includes(type)) &&
      (id === "" || e.address.id === id),
  );
  const set = (next: { type?: string; id?: string }) =>
    navigate(href("flow", [], { type: next.type ?? type, id: next.id ?? id }), true);
  return (
    <section aria-labelledby="flow-title">
      <h1 id="flow-title">Message flow</h1>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          function type
          <input
            type="search"
            data-search
            name="type"
            placeholder="e.g. greeter"
            value={type}
            onInput={(e) => set({ type: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          id
          <input
            type="search"
            name="id"
            placeholder="e.g. Bob"
            value={id}
            onInput={(e) => set({ id: (e.target as HTMLInputElement).value })}
          />
        </label>
        <button
          type="button"
          aria-pressed={paused.value !== null}
          onClick={() => {
            paused.value = paused.value ? null : liveInvocations.value;
          }}
          title="freeze the list (p)"
          data-pause
        >
          {paused.value ? "▶ resume" : "❚❚ pause"}
        </button>
        <span class="muted small" data-testid="flow-bound">
          {shown.length} shown · the page keeps the last {PAGE_INVOCATION_BOUND}
          {overview.data ? `, the runtime the last ${overview.data.bounds.invocations}` : ""}
          {skippedInvocations.value > 0 ? ` · ${skippedInvocations.value} skipped under load` : ""}
        </span>
      </form>
      {shown.length === 0 ? (
        <p class="muted">
          No invocation {type || id ? "matches" : "yet"}. They appear here as they happen.
        </p>
      ) : null}
      <div class="flow" data-testid="flow">
        {shown.map((entry) => (
          <InvocationView key={entry.seq} entry={entry} />
        ))}
      </div>
    </section>
  );
}
