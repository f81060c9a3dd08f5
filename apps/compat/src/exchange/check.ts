import { comparable, encodeCounter, expectedEgress, expectedHops } from "./expected.js";
import { EXCHANGE_KINDS, type ExchangeRoute, kindTypename } from "./route.js";
import { addressKey, type ExchangeObservation, type ExchangeRecord } from "./run.js";

const hex = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? "absent" : Buffer.from(bytes).toString("hex") || "(empty)";

/**
 * What is wrong with one route in an observation, as readable lines ([] = all good): the Kafka
 * record arrived exactly once and equals the input (after the documented divergences); every
 * hop's dumped `v_<kind>` holds the value as that hop's SDK encoded it and its dumped `received`
 * is exact (so a cancelled message that arrived, or a duplicate, shows up).
 */
export function checkRoute(route: ExchangeRoute, seen: ExchangeObservation): string[] {
  const problems: string[] = [];
  const records = seen.delivered.get(route.key) ?? [];
  const expected = expectedEgress(route);
  if (records.length !== 1) {
    problems.push(`${route.key}: ${records.length} Kafka records, expected exactly 1`);
  }
  for (const record of records) {
    const got = comparable(route.kind, record.value);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      problems.push(
        `${route.key}: egress value ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`,
      );
    }
  }
  for (const hop of expectedHops(route)) {
    const at = `${route.key} at ${hop.functionType} ${hop.id}`;
    const states = seen.states.get(addressKey(hop.functionType, hop.id));
    if (states === undefined) {
      problems.push(`${at}: not dumped`);
      continue;
    }
    const held = comparable(route.kind, states.get(hop.state));
    if (JSON.stringify(held) !== JSON.stringify(hop.value)) {
      problems.push(
        `${at}: ${hop.state} = ${JSON.stringify(held)}, expected ${JSON.stringify(hop.value)}`,
      );
    }
    const received = states.get("received");
    if (hex(received) !== hex(encodeCounter(hop.received))) {
      problems.push(
        `${at}: received = ${hex(received)}, expected ${hop.received} (${hex(encodeCounter(hop.received))})`,
      );
    }
    const others = [...states.keys()].filter((s) => s !== hop.state && s !== "received");
    if (others.length > 0) problems.push(`${at}: unexpected states ${others.join(", ")}`);
  }
  return problems;
}

/** Problems of many routes, flattened. */
export function checkRoutes(routes: readonly ExchangeRoute[], seen: ExchangeObservation): string[] {
  return routes.flatMap((r) => checkRoute(r, seen));
}

function typedComparable(record: ExchangeRecord): string {
  const kind = EXCHANGE_KINDS.find((k) => kindTypename(k) === record.typename);
  return `${record.typename} ${kind === undefined ? hex(record.value) : JSON.stringify(comparable(kind, record.value))}`;
}

/**
 * The generic egress `compat/egress` must hold each route's delivered value exactly once, with
 * its kind's typename, and nothing else. Returns the differences ([] = equal).
 */
export function checkGeneric(
  routes: readonly ExchangeRoute[],
  seen: ExchangeObservation,
): string[] {
  const expected = new Map<string, number>();
  for (const r of routes) {
    const entry = `${kindTypename(r.kind)} ${JSON.stringify(expectedEgress(r))}`;
    expected.set(entry, (expected.get(entry) ?? 0) + 1);
  }
  const actual = new Map<string, number>();
  for (const record of seen.generic) {
    const entry = typedComparable(record);
    actual.set(entry, (actual.get(entry) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (const entry of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(entry) ?? 0;
    const got = actual.get(entry) ?? 0;
    if (want !== got)
      problems.push(`generic egress: ${got} × ${entry.slice(0, 120)}, expected ${want}`);
  }
  return problems;
}
