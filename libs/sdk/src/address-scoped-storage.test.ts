// Tests of BatchStorage: lazy decoding, type checks against the declared spec, and the mutations
// of a batch (last operation wins, declaration order).

import { describe, expect, it } from "vitest";
import { BatchStorage } from "./address-scoped-storage.js";
import { StateAccessError } from "./errors.js";
import { typeNameFrom } from "./type-name.js";
import { BoolType, Int32Type, StringType } from "./types/built-in-types.js";
import { makeJsonType } from "./types/json-type.js";
import type { ValueSpec } from "./value-spec.js";
import type { WireTypedValue } from "./wire/typed-value.js";

const a: ValueSpec<number> = { name: "a", valueType: Int32Type };
const b: ValueSpec<string> = { name: "b", valueType: StringType };
const self = { functionType: typeNameFrom("com.example/fn"), id: "id-1" };

function storage(
  values: (WireTypedValue | null)[],
  specs: ValueSpec<unknown>[] = [a, b] as ValueSpec<unknown>[],
) {
  return new BatchStorage(specs, new Map(specs.map((s, i) => [s.name, i])), values, self);
}
const int = (v: number): WireTypedValue => ({
  typename: "io.statefun.types/int",
  hasValue: true,
  value: Int32Type.serialize(v),
});
const str = (v: string): WireTypedValue => ({
  typename: "io.statefun.types/string",
  hasValue: true,
  value: StringType.serialize(v),
});

describe("BatchStorage", () => {
  it("reads the values the runtime sent", () => {
    const s = storage([int(91), str("x")]);
    expect(s.get(a)).toBe(91);
    expect(s.get(b)).toBe("x");
  });

  it("reads absent values as undefined: no state_value, or has_value false", () => {
    const s = storage([
      null,
      {
        typename: "io.statefun.types/string",
        hasValue: false,
        value: StringType.serialize("stale"),
      },
    ]);
    expect(s.get(a)).toBeUndefined();
    expect(s.get(b)).toBeUndefined();
  });

  it("reads an int 0 sent as empty bytes with has_value as 0, not absent", () => {
    expect(
      storage([
        { typename: "io.statefun.types/int", hasValue: true, value: new Uint8Array() },
        null,
      ]).get(a),
    ).toBe(0);
  });

  it("reports no mutation when nothing was written, even after reads", () => {
    const s = storage([int(1), str("x")]);
    s.get(a);
    s.get(b);
    expect(s.mutations()).toEqual([]);
  });

  it("reports MODIFY with the spec's typename and the last value written", () => {
    const s = storage([int(1), null]);
    s.set(a, 2);
    s.set(a, 3);
    expect(s.get(a)).toBe(3);
    expect(s.mutations()).toEqual([
      {
        mutationType: 1,
        stateName: "a",
        stateValue: {
          // kept as a number: the writer encodes it as Int32Type.serialize(3) (wire/round-trip.test.ts)
          typename: "io.statefun.types/int",
          hasValue: true,
          int32: 3,
        },
      },
    ]);
  });

  it("reports DELETE without a value; the last operation wins", () => {
    const s = storage([int(1), str("x")]);
    s.set(a, 5);
    s.remove(a);
    s.remove(b);
    s.set(b, "y");
    expect(s.get(a)).toBeUndefined();
    expect(s.mutations()).toEqual([
      { mutationType: 0, stateName: "a" },
      {
        mutationType: 1,
        stateName: "b",
        stateValue: {
          typename: "io.statefun.types/string",
          hasValue: true,
          value: StringType.serialize("y"),
        },
      },
    ]);
  });

  it("reports a set of an unchanged value (like every official SDK)", () => {
    const s = storage([int(7), null]);
    s.set(a, 7);
    expect(s.mutations()).toHaveLength(1);
  });

  it("decodes lazily and once per batch", () => {
    let decodes = 0;
    const counting: ValueSpec<number> = {
      name: "a",
      valueType: {
        ...Int32Type,
        deserialize: (bytes) => {
          decodes++;
          return Int32Type.deserialize(bytes);
        },
      },
    };
    const s = storage([int(4)], [counting as ValueSpec<unknown>]);
    expect(decodes).toBe(0);
    s.get(counting);
    s.get(counting);
    expect(decodes).toBe(1);
  });

  it("names state, expected and actual typenames when the runtime holds another type", () => {
    const s = storage([str("oops"), null]);
    expect(() => s.get(a)).toThrow(StateAccessError);
    expect(() => s.get(a)).toThrow(
      /function com\.example\/fn:id-1, state a: the runtime holds a value of type io\.statefun\.types\/string, but the state is declared with type io\.statefun\.types\/int/,
    );
  });

  it("rejects access to an unregistered state, listing the registered ones", () => {
    const s = storage([null, null]);
    const other: ValueSpec<boolean> = { name: "other", valueType: BoolType };
    expect(() => s.get(other)).toThrow(
      /state other: storage\.get of unregistered state; .*registered: a, b/,
    );
    expect(() => s.set(other, true)).toThrow(StateAccessError);
    expect(() => s.remove(other)).toThrow(StateAccessError);
  });

  it("rejects the same name with another type", () => {
    const s = storage([null, null]);
    const wrong: ValueSpec<boolean> = { name: "a", valueType: BoolType };
    expect(() => s.get(wrong)).toThrow(
      /with type io\.statefun\.types\/bool, but the state is registered with type io\.statefun\.types\/int/,
    );
    expect(() => s.set(wrong, true)).toThrow(StateAccessError);
    expect(() => s.remove(wrong)).toThrow(StateAccessError);
  });

  it("accepts an equal spec object (same name and type)", () => {
    const s = storage([int(3), null]);
    expect(s.get({ name: "a", valueType: Int32Type })).toBe(3);
  });

  it("refuses to set undefined or null and points to remove()", () => {
    const s = storage([null, null]);
    expect(() => s.set(a, undefined as unknown as number)).toThrow(/use storage\.remove\(spec\)/);
    expect(() => s.set(a, null as unknown as number)).toThrow(StateAccessError);
  });

  it("serializes JSON values when the batch completes, naming the state on failure", () => {
    const Obj = makeJsonType<{ n: number }>("com.example/Obj");
    const spec: ValueSpec<{ n: number }> = { name: "obj", valueType: Obj };
    const s = storage([null], [spec as ValueSpec<unknown>]);
    s.set(spec, { n: 1 });
    expect(
      JSON.parse(Buffer.from((s.mutations()[0]!.stateValue as WireTypedValue).value).toString()),
    ).toEqual({
      n: 1,
    });

    const bad = storage([null, null]);
    bad.set(a, 1.5);
    expect(() => bad.mutations()).toThrow(
      /state a: cannot serialize the new value: io\.statefun\.types\/int cannot serialize 1\.5/,
    );
  });
});
