// The page's clock for relative times: one tick a second while the page is visible.
import { signal } from "@preact/signals";

/** Now, in ms; updated once a second. */
export const now = signal(Date.now());
setInterval(() => {
  if (document.visibilityState === "visible") now.value = Date.now();
}, 1000);
