// A time: relative ("in 29 min") with the clock time, absolute in the tooltip.

import { now } from "../clock.js";
import { clockTime, relative } from "../format.js";

/** Relative time, refreshed by the page's clock. */
export function TimeView({ at }: { at: number }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>
      {relative(at, now.value)} <span class="muted">({clockTime(at)})</span>
    </time>
  );
}
