// Small formatters: addresses, times, durations, sizes.
import type { AddressJson } from "./api-types.js";

/** `namespace/type/id`. */
export function addressText(address: AddressJson): string {
  return `${address.namespace}/${address.type}/${address.id}`;
}

/** `12:03:04.120` (local time). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `in 29 min`, `3 s ago`. */
export function relative(ms: number, now: number): string {
  const delta = ms - now;
  const size = Math.abs(delta);
  if (size < 1000) return "just now";
  const text =
    size < 60_000
      ? `${Math.round(size / 1000)} s`
      : size < 3_600_000
        ? `${Math.round(size / 60_000)} min`
        : size < 86_400_000
          ? `${(size / 3_600_000).toFixed(1)} h`
          : `${(size / 86_400_000).toFixed(1)} d`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** `850 ms`, `1.2 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** `512 B`, `4.0 KiB`. */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Hex grouped by 2 bytes, 16 bytes a line. */
export function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    const line = hex.slice(i, i + 32).match(/.{1,4}/g) ?? [];
    lines.push(`${(i / 2).toString(16).padStart(6, "0")}  ${line.join(" ")}`);
  }
  return lines.join("\n");
}
