// Hash routing: `#/<view>/<rest>?<query>`; the address bar holds the whole view, so links,
// back/forward and reload work.
import { signal } from "@preact/signals";

/** A parsed location. */
export interface Route {
  readonly view: string;
  /** Path segments after the view, decoded. */
  readonly rest: readonly string[];
  readonly query: URLSearchParams;
}

function parse(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = text.split("?", 2);
  const [view = "", ...rest] = path.split("/").map((s) => decodeURIComponent(s));
  return { view: view === "" ? "functions" : view, rest, query: new URLSearchParams(search) };
}

/** The current route. */
export const route = signal<Route>(parse(location.hash));
addEventListener("hashchange", () => {
  route.value = parse(location.hash);
});

/** A `#/...` link to a view. */
export function href(
  view: string,
  rest: readonly string[] = [],
  query?: Record<string, string>,
): string {
  const path = [view, ...rest.map(encodeURIComponent)].join("/");
  const params = new URLSearchParams(
    Object.entries(query ?? {}).filter(([, v]) => v !== ""),
  ).toString();
  return `#/${path}${params ? `?${params}` : ""}`;
}

/** Goes to a view (adds a history entry unless `replace`). */
export function navigate(link: string, replace = false): void {
  if (replace) history.replaceState(null, "", link);
  else history.pushState(null, "", link);
  route.value = parse(link);
}
