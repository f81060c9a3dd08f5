// Shows a decoded value: built-ins as values, JSON pretty-printed with its schema check,
// protobuf and unknown types as hex with the typename.
import type { DecodedValue } from "../api-types.js";
import { hexDump, size } from "../format.js";

/** A short label of a value's kind and type. */
export function TypeBadge({ value }: { value: DecodedValue }) {
  const short =
    value.typename === "" ? "unknown type" : value.typename.replace(/^io\.statefun\.types\//, "");
  return (
    <span
      class={`badge kind-${value.kind}`}
      title={`${value.typename || "typename not known"} · ${value.kind} · ${size(value.bytes)}`}
    >
      {short}
    </span>
  );
}

/** One line: the value as short text (for tables and the flow). */
export function valueSummary(value: DecodedValue): string {
  if (value.error) return `⚠ ${value.error}`;
  if (value.kind === "builtin")
    return typeof value.value === "string" ? JSON.stringify(value.value) : String(value.value);
  if (value.text !== undefined) return value.text.replace(/\s*\n\s*/g, " ");
  return `${size(value.bytes)} ${value.hex ? `0x${value.hex.slice(0, 32)}${value.hex.length > 32 ? "…" : ""}` : ""}`;
}

/** The value in one line, with its type badge. */
export function InlineValue({ value }: { value: DecodedValue }) {
  return (
    <span class="inline-value">
      <TypeBadge value={value} />
      <code class={value.error ? "bad" : ""}>{valueSummary(value)}</code>
      {value.schema === "invalid" ? <span class="pill bad">schema ✗</span> : null}
    </span>
  );
}

/** The whole value, as a block. */
export function ValueView({ value }: { value: DecodedValue }) {
  return (
    <div class="value-view">
      <div class="value-head">
        <TypeBadge value={value} />
        <span class="muted">{value.typename || "typename not known"}</span>
        <span class="muted">{size(value.bytes)}</span>
        {value.schema === "valid" ? (
          <span class="pill ok" title="matches its registry schema">
            schema ✓
          </span>
        ) : null}
        {value.schema === "invalid" ? (
          <span class="pill bad">does not match its schema</span>
        ) : null}
        {value.kind === "unknown" && value.text !== undefined ? (
          <span class="pill" title="not a registry type: the bytes happen to be JSON; not checked">
            JSON, not in the registry
          </span>
        ) : null}
        {value.truncated ? <span class="pill warn">truncated</span> : null}
      </div>
      {value.error ? <p class="bad">⚠ {value.error}</p> : null}
      {value.violations && value.violations.length > 0 ? (
        <ul class="violations">
          {value.violations.map((v) => (
            <li key={v.pointer + v.message}>
              <code>{v.pointer === "" ? "(root)" : v.pointer}</code> {v.message}
            </li>
          ))}
        </ul>
      ) : null}
      {value.kind === "builtin" && value.value !== undefined ? (
        <pre class="value builtin">
          {typeof value.value === "string" ? value.value : String(value.value)}
        </pre>
      ) : null}
      {value.text !== undefined ? <pre class="value json">{value.text}</pre> : null}
      {value.hex !== undefined && (value.text === undefined || value.kind !== "json") ? (
        <details open={value.text === undefined}>
          <summary>hex ({size(value.bytes)})</summary>
          <pre class="value hex">{hexDump(value.hex)}</pre>
        </details>
      ) : null}
    </div>
  );
}
