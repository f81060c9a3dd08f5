import type { Lang } from "../src/index.js";

/**
 * What a value looks like after a hop on each SDK: the documented divergences of the official
 * SDKs (src/vectors/golden-vectors.test.ts): Java and Python drop the sign of a float/double -0.0.
 */
const NEG0 = new Set(["0d00000080", "090000000000000080"]);

export function afterHop(lang: Lang, kind: string, bytes: Uint8Array): Uint8Array {
  const hex = Buffer.from(bytes).toString("hex");
  if (
    (lang === "java" || lang === "python") &&
    (kind === "float" || kind === "double") &&
    NEG0.has(hex)
  ) {
    return new Uint8Array(0);
  }
  return bytes;
}

export function afterRoute(route: readonly Lang[], kind: string, bytes: Uint8Array): Uint8Array {
  return route.reduce((value, lang) => afterHop(lang, kind, value), bytes);
}

/** A comparable form of a value: parsed JSON for compat/Sample, hex for built-in types. */
export function comparable(kind: string, bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  return kind === "sample"
    ? JSON.parse(Buffer.from(bytes).toString("utf8"))
    : Buffer.from(bytes).toString("hex");
}
