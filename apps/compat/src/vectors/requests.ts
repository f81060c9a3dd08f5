import { toFunctionCodec, type WireTypedValueMessage } from "@statefun-ts/sdk/wire";
import { compat } from "../generated/compat.js";
import {
  encodeBool,
  encodeDouble,
  encodeFloat,
  encodeFloatBits,
  encodeInt,
  encodeLong,
  encodeString,
} from "./encode.js";
import { POINTS } from "./points.js";
import { SAMPLES } from "./samples.js";

/** A golden request: a file name (without `.bin`) and the ToFunction bytes. */
export interface GoldenRequest {
  readonly name: string;
  readonly bytes: Uint8Array;
}

type TypedValue = WireTypedValueMessage;
type AddressLike = { namespace: string; type: string; id: string };

const TN = "io.statefun.types/";
/** The relay's declared states in contract order, with their typenames. */
export const RELAY_STATES: ReadonlyArray<readonly [string, string]> = [
  ["v_bool", `${TN}bool`],
  ["v_int", `${TN}int`],
  ["v_long", `${TN}long`],
  ["v_float", `${TN}float`],
  ["v_double", `${TN}double`],
  ["v_string", `${TN}string`],
  ["v_sample", "compat/Sample"],
  ["v_point", "type.googleapis.com/compat.Point"],
  ["received", `${TN}long`],
];

/** The typename of a value kind's messages. */
export function typenameOf(kind: string): string {
  if (kind === "sample") return "compat/Sample";
  if (kind === "point") return "type.googleapis.com/compat.Point";
  return `${TN}${kind}`;
}

function tv(kind: string, value: Uint8Array): TypedValue {
  return { typename: typenameOf(kind), hasValue: true, value };
}

interface Invocation {
  readonly argument: TypedValue;
  readonly caller?: AddressLike;
}

interface RequestSpec {
  readonly id: string;
  readonly invocations: readonly Invocation[];
  /** State name -> value; `null` = present without a value. Default: every state, empty. */
  readonly states?: Readonly<Record<string, TypedValue | null>>;
  readonly functionType?: string;
}

function encodeRequest(spec: RequestSpec): Uint8Array {
  const states =
    spec.states ?? Object.fromEntries(RELAY_STATES.map(([name]) => [name, null] as const));
  const [namespace, type] = (spec.functionType ?? "compat/relay").split("/") as [string, string];
  return toFunctionCodec.encode({
    invocation: {
      target: { namespace, type, id: spec.id },
      state: Object.entries(states).map(([stateName, value]) =>
        value === null ? { stateName } : { stateName, stateValue: value },
      ),
      invocations: spec.invocations.map((inv) => ({
        argument: inv.argument,
        ...(inv.caller !== undefined ? { caller: inv.caller } : {}),
      })),
    },
  });
}

/** Edge values per kind: [label, canonical bytes]. */
export const EDGE_VALUES: ReadonlyArray<readonly [string, string, Uint8Array]> = [
  ["bool", "true", encodeBool(true)],
  ["bool", "false", encodeBool(false)],
  ["int", "0", encodeInt(0)],
  ["int", "1", encodeInt(1)],
  ["int", "-1", encodeInt(-1)],
  ["int", "max", encodeInt(2147483647)],
  ["int", "min", encodeInt(-2147483648)],
  ["long", "0", encodeLong(0n)],
  ["long", "-1", encodeLong(-1n)],
  ["long", "2pow53plus1", encodeLong(2n ** 53n + 1n)],
  ["long", "max", encodeLong(9223372036854775807n)],
  ["long", "min", encodeLong(-9223372036854775808n)],
  ["float", "0", encodeFloat(0)],
  ["float", "neg0", encodeFloat(-0)],
  ["float", "1.5", encodeFloat(1.5)],
  ["float", "0.1", encodeFloat(0.1)],
  ["float", "nan", encodeFloatBits(0x7fc00000)],
  ["float", "inf", encodeFloat(Number.POSITIVE_INFINITY)],
  ["float", "neginf", encodeFloat(Number.NEGATIVE_INFINITY)],
  ["float", "max", encodeFloatBits(0x7f7fffff)],
  ["float", "minsub", encodeFloatBits(0x00000001)],
  ["double", "0", encodeDouble(0)],
  ["double", "neg0", encodeDouble(-0)],
  ["double", "0.1", encodeDouble(0.1)],
  ["double", "nan", encodeDouble(Number.NaN)],
  ["double", "inf", encodeDouble(Number.POSITIVE_INFINITY)],
  ["double", "neginf", encodeDouble(Number.NEGATIVE_INFINITY)],
  ["double", "max", encodeDouble(Number.MAX_VALUE)],
  ["double", "minsub", encodeDouble(Number.MIN_VALUE)],
  ["string", "empty", encodeString("")],
  ["string", "ascii", encodeString("hello")],
  ["string", "nonascii", encodeString("héllo wörld ✓ 日本語 🎉 \u0000 \n")],
  ["string", "4kib", encodeString("ab€".repeat(1024))],
  ...POINTS.map(([label, point]) => ["point", label, compat.Point.encode(point).finish()] as const),
  ...SAMPLES.map(
    ([label, sample]) =>
      ["sample", label, new TextEncoder().encode(JSON.stringify(sample))] as const,
  ),
];

function edge(kind: string, label: string): TypedValue {
  const found = EDGE_VALUES.find(([k, l]) => k === kind && l === label);
  if (found === undefined) throw new Error(`no edge value ${kind}/${label}`);
  return tv(kind, found[2]);
}

const caller = (lang: string, id: string): AddressLike => ({
  namespace: `compat.${lang}`,
  type: "relay",
  id,
});

/** Every golden request, in a stable order with stable names. */
export function goldenRequests(): GoldenRequest[] {
  const specs: Array<[string, RequestSpec]> = [];
  // Every kind and edge value, forwarded to the next hop, and written to the egresses at the last.
  for (const [kind, label, bytes] of EDGE_VALUES) {
    specs.push([
      `send-${kind}-${label}`,
      { id: `go.java~send~k-${kind}-${label}`, invocations: [{ argument: tv(kind, bytes) }] },
    ]);
    specs.push([
      `egress-${kind}-${label}`,
      { id: `python~send~k-${kind}-${label}`, invocations: [{ argument: tv(kind, bytes) }] },
    ]);
  }
  // Modes: delayed forward, schedule-then-cancel, reply.
  for (const kind of ["long", "string", "double", "sample"]) {
    const label = kind === "string" ? "nonascii" : kind === "sample" ? "rich" : "max";
    const value = edge(kind, label);
    specs.push([
      `after-${kind}`,
      { id: `ts.python.go~after~k1`, invocations: [{ argument: value }] },
    ]);
    specs.push([
      `cancel-${kind}`,
      {
        id: `java.ts~cancel~k2`,
        invocations: [{ argument: value, caller: caller("go", "go.java.ts~cancel~k2") }],
      },
    ]);
    specs.push([
      `reply-last-hop-${kind}`,
      {
        id: `python~reply~k3`,
        invocations: [{ argument: value, caller: caller("go", "go.python~reply~k3") }],
      },
    ]);
    specs.push([
      `reply-returns-${kind}`,
      {
        id: `go.python~reply~k3`,
        invocations: [{ argument: value, caller: caller("python", "python~reply~k3") }],
      },
    ]);
  }
  specs.push([
    "reply-forward-from-ingress",
    { id: `go.python~reply~k4`, invocations: [{ argument: edge("int", "min") }] },
  ]);
  specs.push([
    "reply-last-hop-no-caller",
    { id: `python~reply~k5`, invocations: [{ argument: edge("bool", "true") }] },
  ]);
  specs.push([
    "reply-last-hop-empty-caller",
    {
      id: `python~reply~k6`,
      invocations: [{ argument: edge("int", "1"), caller: { namespace: "", type: "", id: "" } }],
    },
  ]);
  specs.push([
    "caller-from-other-function",
    {
      id: `java.go~send~k7`,
      invocations: [{ argument: edge("string", "ascii"), caller: caller("ts", "a~b~c") }],
    },
  ]);
  // States present with values: counters continue, values are overwritten.
  const full = Object.fromEntries(RELAY_STATES.map(([name]) => [name, null])) as Record<
    string,
    TypedValue | null
  >;
  specs.push([
    "state-counter-continues",
    {
      id: "ts~send~k8",
      states: { ...full, received: tv("long", encodeLong(41n)) },
      invocations: [{ argument: edge("long", "-1") }],
    },
  ]);
  specs.push([
    "state-values-overwritten",
    {
      id: "ts~send~k9",
      states: {
        ...full,
        v_bool: edge("bool", "true"),
        v_int: edge("int", "max"),
        v_long: edge("long", "min"),
        v_float: edge("float", "1.5"),
        v_double: edge("double", "0.1"),
        v_string: edge("string", "nonascii"),
        v_sample: edge("sample", "minimal"),
        v_point: edge("point", "full"),
        received: tv("long", encodeLong(7n)),
      },
      invocations: [{ argument: edge("int", "0") }],
    },
  ]);
  specs.push([
    "state-present-without-value",
    {
      id: "go~send~k10",
      states: { ...full, received: { typename: `${TN}long`, hasValue: false } },
      invocations: [{ argument: edge("float", "neg0") }],
    },
  ]);
  specs.push([
    "state-undeclared-ignored",
    {
      id: "go~send~k11",
      states: { ...full, extra: tv("string", encodeString("ignored")) },
      invocations: [{ argument: edge("double", "nan") }],
    },
  ]);
  // The dump command reads every state (written by any SDK) and re-encodes it to the egress.
  specs.push([
    "dump-all-states",
    {
      id: "ts~send~k17",
      states: {
        ...full,
        v_bool: edge("bool", "true"),
        v_int: edge("int", "min"),
        v_long: edge("long", "max"),
        v_float: edge("float", "nan"),
        v_double: edge("double", "minsub"),
        v_string: edge("string", "4kib"),
        v_sample: edge("sample", "rich"),
        v_point: edge("point", "nested"),
        received: tv("long", encodeLong(9n)),
      },
      invocations: [
        { argument: { typename: "compat/dump", hasValue: true, value: new Uint8Array(0) } },
      ],
    },
  ]);
  specs.push([
    "dump-empty-states",
    {
      id: "ts~send~k18",
      invocations: [
        { argument: { typename: "compat/dump", hasValue: true, value: new Uint8Array(0) } },
      ],
    },
  ]);
  // Missing states: the handshake lists exactly the missing specs.
  specs.push([
    "states-all-missing",
    { id: "go~send~k12", states: {}, invocations: [{ argument: edge("bool", "true") }] },
  ]);
  specs.push([
    "states-some-missing",
    {
      id: "go~send~k13",
      states: { v_bool: null, v_long: null, received: tv("long", encodeLong(3n)) },
      invocations: [{ argument: edge("bool", "true") }],
    },
  ]);
  // Batches: invocations run in order, each sees the previous one's state; last write wins.
  specs.push([
    "batch-mixed-kinds",
    {
      id: "go.java~send~k14",
      invocations: [
        { argument: edge("int", "max") },
        { argument: edge("string", "4kib"), caller: caller("python", "x~send~y") },
        { argument: edge("int", "min") },
        { argument: edge("double", "neginf") },
        { argument: edge("sample", "rich") },
        { argument: edge("point", "large") },
      ],
    },
  ]);
  specs.push([
    "batch-egress-and-cancel",
    {
      id: "java~cancel~k15",
      invocations: [
        { argument: edge("long", "max") },
        { argument: edge("float", "nan") },
        { argument: edge("bool", "false") },
      ],
    },
  ]);
  specs.push([
    "batch-after",
    {
      id: "python.ts~after~k16",
      invocations: [{ argument: edge("string", "empty") }, { argument: edge("long", "0") }],
    },
  ]);
  return specs.map(([name, spec]) => ({ name, bytes: encodeRequest(spec) }));
}
