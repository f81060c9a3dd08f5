// stateUpgrade on its own: reading the new state, upgrading an old value once (set new, remove
// old), migrate failures, and the configuration errors. The storage is the public
// AddressScopedStorage over a Map; the runtime round trip is in libs/runtime/test/versioned-state.
import {
  type AddressScopedStorage,
  ConfigurationError,
  Int32Type,
  StateAccessError,
  StringType,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import { stateUpgrade } from "./index.js";

class MapStorage implements AddressScopedStorage {
  readonly values = new Map<string, unknown>();
  readonly ops: string[] = [];
  get<T>(spec: ValueSpec<T>): T | undefined {
    return this.values.get(spec.name) as T | undefined;
  }
  set<T>(spec: ValueSpec<T>, value: T): void {
    this.ops.push(`set ${spec.name}`);
    this.values.set(spec.name, value);
  }
  remove(spec: ValueSpec<unknown>): void {
    this.ops.push(`remove ${spec.name}`);
    this.values.delete(spec.name);
  }
}

const old: ValueSpec<string> = { name: "count", valueType: StringType };
const next: ValueSpec<number> = { name: "count_v2", valueType: Int32Type };

describe("stateUpgrade", () => {
  it("returns the new state's value without touching the old one", () => {
    const storage = new MapStorage();
    storage.values.set("count", "7");
    storage.values.set("count_v2", 9);
    const upgrade = stateUpgrade(old, next, () => {
      throw new Error("not called");
    });
    expect(upgrade.states).toEqual([old, next]);
    expect(upgrade.get(storage)).toBe(9);
    expect(storage.ops).toEqual([]);
  });

  it("upgrades an old value once: sets the new state, removes the old one", () => {
    const storage = new MapStorage();
    storage.values.set("count", "41");
    let calls = 0;
    const upgrade = stateUpgrade(old, next, (text) => {
      calls++;
      return Number(text) + 1;
    });
    expect(upgrade.get(storage)).toBe(42);
    expect(storage.ops).toEqual(["set count_v2", "remove count"]);
    expect(upgrade.get(storage)).toBe(42);
    expect(calls).toBe(1);
  });

  it("is undefined when neither state has a value", () => {
    const storage = new MapStorage();
    expect(stateUpgrade(old, next, Number).get(storage)).toBeUndefined();
    expect(storage.ops).toEqual([]);
  });

  it("names both states when migrate throws or returns nothing, and keeps the old value", () => {
    const storage = new MapStorage();
    storage.values.set("count", "x");
    const failing = stateUpgrade(old, next, () => {
      throw new Error("not a number");
    });
    expect(() => failing.get(storage)).toThrow(StateAccessError);
    expect(() => failing.get(storage)).toThrow(
      /state count \(io\.statefun\.types\/string\) -> count_v2 \(io\.statefun\.types\/int\): migrate failed: not a number/,
    );
    const empty = stateUpgrade(old, next, () => undefined as unknown as number);
    expect(() => empty.get(storage)).toThrow(/migrate returned undefined/);
    expect(storage.values.get("count")).toBe("x");
    expect(storage.ops).toEqual([]);
  });

  it("refuses the same state name, a non-function migrate and unexpected typenames", () => {
    expect(() => stateUpgrade(old, { ...next, name: "count" }, Number)).toThrow(ConfigurationError);
    expect(() => stateUpgrade(old, { ...next, name: "count" }, Number)).toThrow(
      /cannot move from io\.statefun\.types\/string to io\.statefun\.types\/int under the same name: .*e\.g\. "count_v2"/,
    );
    expect(() => stateUpgrade(old, next, "x" as never)).toThrow(/migrate must be a function/);
    expect(() =>
      stateUpgrade(old, next, Number, { from: "com.example/User", to: "com.example/UserV2" }),
    ).toThrow(
      /expected a state of com\.example\/User moving to com\.example\/UserV2, got io\.statefun\.types\/string -> io\.statefun\.types\/int/,
    );
  });
});
