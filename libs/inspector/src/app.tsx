// The inspector's layout: a header with the runtime's URLs and the live status, a navigation of
// the views (keys 1-7), and the current view.
import { useEffect } from "preact/hooks";
import type { OverviewResponse } from "./api-types.js";
import { connected } from "./live.js";
import { href, navigate, route } from "./router.js";
import { useApi } from "./use-api.js";
import { AddressView } from "./views/address-view.js";
import { AddressesView } from "./views/addresses-view.js";
import { DeadLettersView } from "./views/dead-letters-view.js";
import { DelayedView } from "./views/delayed-view.js";
import { EgressView } from "./views/egress-view.js";
import { FlowView } from "./views/flow-view.js";
import { FunctionsView } from "./views/functions-view.js";
import { SendView } from "./views/send-view.js";

const VIEWS = [
  { key: "functions", label: "Functions" },
  { key: "addresses", label: "Addresses" },
  { key: "flow", label: "Message flow" },
  { key: "delayed", label: "Delayed" },
  { key: "egress", label: "Egress" },
  { key: "dead-letters", label: "Dead letters" },
  { key: "send", label: "Send" },
] as const;

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return (
    !!element &&
    (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName))
  );
}

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        const form = (event.target as HTMLElement | null)?.closest("form");
        if (form) {
          event.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (event.key === "Escape" && isTyping(event.target)) {
        (event.target as HTMLElement).blur();
        return;
      }
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const index = Number(event.key) - 1;
      const view = VIEWS[index];
      if (view) {
        event.preventDefault();
        navigate(href(view.key));
      } else if (event.key === "/") {
        const search = document.querySelector<HTMLInputElement>("[data-search]");
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
      } else if (event.key === "p") {
        document.querySelector<HTMLButtonElement>("[data-pause]")?.click();
      } else if (event.key === "?") {
        document.querySelector<HTMLDetailsElement>("#shortcuts")?.toggleAttribute("open");
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
}

function CurrentView() {
  const { view, rest } = route.value;
  switch (view) {
    case "addresses":
      return <AddressesView />;
    case "address": {
      const [namespace = "", type = "", ...id] = rest;
      return <AddressView key={rest.join("/")} address={{ namespace, type, id: id.join("/") }} />;
    }
    case "flow":
      return <FlowView />;
    case "delayed":
      return <DelayedView />;
    case "egress":
      return <EgressView />;
    case "dead-letters":
      return <DeadLettersView />;
    case "send":
      return <SendView />;
    default:
      return <FunctionsView />;
  }
}

export function App() {
  useShortcuts();
  const overview = useApi<OverviewResponse>("overview", ["functions", "delayed", "dead-letters"]);
  const current = route.value.view === "address" ? "addresses" : route.value.view;
  const status = connected.value;
  return (
    <div class="layout">
      <header class="top">
        <a class="brand" href={href("functions")}>
          statefun-ts <span>inspector</span>
        </a>
        {overview.data ? (
          <dl class="facts">
            <div>
              <dt>ingress</dt>
              <dd class="mono">{overview.data.ingressUrl}</dd>
            </div>
            <div>
              <dt>egress</dt>
              <dd class="mono">{overview.data.egressUrl}</dd>
            </div>
            <div>
              <dt>queued</dt>
              <dd>{overview.data.queued}</dd>
            </div>
            <div>
              <dt>delayed</dt>
              <dd>{overview.data.delayed}</dd>
            </div>
          </dl>
        ) : null}
        <span class={`live live-${status}`} role="status" title="live updates (server-sent events)">
          {status === "live"
            ? "● live"
            : status === "connecting"
              ? "◌ connecting…"
              : "○ disconnected"}
        </span>
      </header>
      <nav class="side" aria-label="views">
        <ul>
          {VIEWS.map((v, i) => (
            <li key={v.key}>
              <a href={href(v.key)} aria-current={current === v.key ? "page" : undefined}>
                <kbd>{i + 1}</kbd> {v.label}
                {v.key === "dead-letters" && overview.data && overview.data.deadLetters > 0 ? (
                  <span class="pill bad nav-count" data-testid="dead-letter-count">
                    {overview.data.deadLetters}
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
        <details id="shortcuts" class="shortcuts">
          <summary>Keys (?)</summary>
          <ul>
            <li>
              <kbd>1</kbd>–<kbd>7</kbd> views
            </li>
            <li>
              <kbd>/</kbd> search
            </li>
            <li>
              <kbd>p</kbd> pause the flow
            </li>
            <li>
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd> send
            </li>
            <li>
              <kbd>Esc</kbd> leave a field
            </li>
          </ul>
        </details>
        {overview.data ? (
          <p class="muted small state-file">state {overview.data.stateFile}</p>
        ) : null}
      </nav>
      <main id="main">
        <CurrentView />
      </main>
    </div>
  );
}
