import type { Lang } from "../relay.js";
import { encodeLong } from "../vectors/encode.js";
import { type ExchangeRoute, hopAddress } from "./route.js";

/*
 * The documented divergences of the official SDKs (README.md, pinned by the golden vectors):
 * - Java and Python write a float/double -0.0 as the empty wrapper, i.e. +0.0: a -0.0 that
 *   passes through them arrives as +0.0.
 * - Go treats an all-empty caller Address as a caller: its relay's reply to it fails ("a message
 *   must have a non-empty target"); Java, Python and our SDK treat it as no caller.
 * NaN needs no rule: every SDK keeps the bits of the NaN it decoded (compared as bytes).
 */

/** The SDKs that lose the sign of a float/double -0.0 on re-encoding. */
export const SIGN_OF_ZERO_LOST_BY: readonly Lang[] = ["java", "python"];

const NEGATIVE_ZERO = new Set(["0d00000080", "090000000000000080"]);

/** The value as hop `lang` re-encodes it (its SDK's type), from the bytes it received. */
export function afterHop(lang: Lang, kind: string, bytes: Uint8Array): Uint8Array {
  if (
    SIGN_OF_ZERO_LOST_BY.includes(lang) &&
    (kind === "float" || kind === "double") &&
    NEGATIVE_ZERO.has(Buffer.from(bytes).toString("hex"))
  ) {
    return new Uint8Array(0);
  }
  return bytes;
}

/** The value after passing through every hop of `hops`, in order. */
export function afterRoute(hops: readonly Lang[], kind: string, bytes: Uint8Array): Uint8Array {
  return hops.reduce((value, lang) => afterHop(lang, kind, value), bytes);
}

/**
 * Whether the relay on `lang`, as the last hop in `reply` mode, sends the value back to a caller
 * given as `caller` (undefined: the request had none). Go replies to an all-empty Address (and
 * fails); the others treat it as no caller and write to the egress instead.
 */
export function repliesTo(
  lang: Lang,
  caller: { namespace: string; type: string; id: string } | undefined,
): boolean {
  if (caller === undefined) return false;
  const empty = caller.namespace === "" && caller.type === "" && caller.id === "";
  return !empty || lang === "go";
}

/**
 * A comparable form of a value: parsed JSON for `sample` (Go appends a newline, key order may
 * differ), lowercase hex of the exact bytes for every other kind (so -0.0 and +0.0 differ and a
 * NaN equals the NaN with the same bits). An absent value stays undefined.
 */
export function comparable(kind: string, bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  return kind === "sample"
    ? JSON.parse(Buffer.from(bytes).toString("utf8"))
    : Buffer.from(bytes).toString("hex");
}

/** The languages a route's value passes through before it reaches the egress. */
export function deliveryPath(route: ExchangeRoute): Lang[] {
  const { hops } = route;
  // reply: the last hop sends it back to its caller, the hop before it, which writes the egress
  return route.mode === "reply" && repliesTo(hops.at(-1) as Lang, callerOf(route))
    ? [...hops, hops[hops.length - 2] as Lang]
    : [...hops];
}

function callerOf(route: ExchangeRoute): { namespace: string; type: string; id: string } {
  const { functionType, id } = hopAddress(route, route.hops.length - 2);
  const [namespace = "", type = ""] = functionType.split("/");
  return { namespace, type, id };
}

/** The value the egresses must get for `route` (as `comparable`). */
export function expectedEgress(route: ExchangeRoute): unknown {
  return comparable(route.kind, afterRoute(deliveryPath(route), route.kind, route.bytes));
}

/** What one hop's address must hold once the route is done. */
export interface HopExpectation {
  readonly functionType: string;
  readonly id: string;
  /** `v_<kind>` */
  readonly state: string;
  /** The `comparable` value of that state. */
  readonly value: unknown;
  /** The exact `received` counter. */
  readonly received: bigint;
}

/**
 * Each hop's expected state: the value as that hop's SDK encoded it and `received` = 1, except
 * that in `reply` mode the hop that gets the reply back holds the returned value and counted 2.
 */
export function expectedHops(route: ExchangeRoute): HopExpectation[] {
  const path = deliveryPath(route);
  return route.hops.map((_, hop) => {
    const returned = path.length > route.hops.length && hop === route.hops.length - 2;
    const upTo = returned ? path : path.slice(0, hop + 1);
    return {
      ...hopAddress(route, hop),
      state: `v_${route.kind}`,
      value: comparable(route.kind, afterRoute(upTo, route.kind, route.bytes)),
      received: returned ? 2n : 1n,
    };
  });
}

/** The `io.statefun.types/long` encoding of a counter, as every SDK writes it. */
export function encodeCounter(value: bigint): Uint8Array {
  return encodeLong(value);
}
