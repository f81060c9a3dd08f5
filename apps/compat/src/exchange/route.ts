import { KINDS } from "../kinds.js";
import { type Lang, MODES, type Mode } from "../relay.js";
import { EDGE_VALUES } from "../vectors/requests.js";

/** One value to carry: its kind (`bool`, …, `point`), a label, and its canonical encoding. */
export interface EdgeValue {
  readonly kind: string;
  readonly label: string;
  readonly bytes: Uint8Array;
}

/**
 * One message's journey through the relays: it enters at `hops[0]`, each hop forwards it to the
 * next (README.md: the contract), the last writes it to the egresses (or, in `reply` mode, sends
 * it back to its caller, which writes it).
 */
export interface ExchangeRoute extends EdgeValue {
  readonly hops: readonly Lang[];
  readonly mode: Mode;
  /** The key part of every hop's id and of the Kafka record; unique within one exchange. */
  readonly key: string;
}

/** Thrown when a route or value asked for does not exist; the message says which and what does. */
export class ExchangeRouteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExchangeRouteError";
  }
}

/** The value kinds in contract order. */
export const EXCHANGE_KINDS: readonly string[] = KINDS.map((k) => k.name);

/** The typename a value of `kind` travels with (`io.statefun.types/int`, `compat/Sample`, …). */
export function kindTypename(kind: string): string {
  const found = KINDS.find((k) => k.name === kind);
  if (found === undefined) {
    throw new ExchangeRouteError(
      `unknown value kind ${JSON.stringify(kind)}: use one of ${EXCHANGE_KINDS.join(", ")}`,
    );
  }
  return found.type.typeName.toString();
}

/** Every edge value (0, -0.0, NaN, ±Infinity, min/max, strings, Samples, Points), optionally of one kind. */
export function edgeValues(kind?: string): EdgeValue[] {
  if (kind !== undefined) kindTypename(kind);
  return EDGE_VALUES.filter(([k]) => kind === undefined || k === kind).map(([k, label, bytes]) => ({
    kind: k,
    label,
    bytes,
  }));
}

/** One edge value by kind and label (`edgeValue("string", "nonascii")`). */
export function edgeValue(kind: string, label: string): EdgeValue {
  const found = edgeValues(kind).find((v) => v.label === label);
  if (found === undefined) {
    throw new ExchangeRouteError(
      `no ${kind} edge value labelled ${JSON.stringify(label)}: labels are ${edgeValues(kind)
        .map((v) => v.label)
        .join(", ")} (src/vectors/requests.ts)`,
    );
  }
  return found;
}

/** The function type of a language's relay, `compat.<lang>/relay`. */
export function relayType(lang: Lang): string {
  return `compat.${lang}/relay`;
}

/** The id of the address that holds the route at hop `hop`: `<remaining hops>~<mode>~<key>`. */
export function routeId(route: ExchangeRoute, hop = 0): string {
  if (hop < 0 || hop >= route.hops.length) {
    throw new ExchangeRouteError(`route ${route.key} has ${route.hops.length} hops: no hop ${hop}`);
  }
  return `${route.hops.slice(hop).join(".")}~${route.mode}~${route.key}`;
}

/** The address (`<functionType>`, `<id>`) of the route's hop `hop`. */
export function hopAddress(
  route: ExchangeRoute,
  hop: number,
): { readonly functionType: string; readonly id: string } {
  return { functionType: relayType(route.hops[hop] as Lang), id: routeId(route, hop) };
}

/** One route per value over `hops`, keys `<prefix>-<kind>-<label>` (prefix: the hops joined by `-`). */
export function routesOver(
  hops: readonly Lang[],
  values: readonly EdgeValue[] = edgeValues(),
  mode: Mode = "send",
  prefix = `${mode === "send" ? "" : `${mode}-`}${hops.join("-")}`,
): ExchangeRoute[] {
  if (hops.length === 0) throw new ExchangeRouteError("a route needs at least one hop");
  if (!MODES.includes(mode)) {
    throw new ExchangeRouteError(`unknown mode ${JSON.stringify(mode)}: use ${MODES.join(", ")}`);
  }
  if (mode === "reply" && hops.length < 2) {
    throw new ExchangeRouteError(`a reply route needs two hops or more, got ${hops.join(".")}`);
  }
  return values.map((v) => ({ ...v, hops, mode, key: `${prefix}-${v.kind}-${v.label}` }));
}

/** Every ordered pair of distinct languages. */
export function orderedPairs(langs: readonly Lang[]): Array<readonly [Lang, Lang]> {
  return langs.flatMap((a) => langs.filter((b) => b !== a).map((b) => [a, b] as const));
}

/** Every ordering of `items`. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]),
  );
}
