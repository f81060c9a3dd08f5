// The state registry on its own: register-if-absent per function type, TTL fixed at the first
// registration, a type change or a malformed spec rejected with a message naming the function
// and state. Found missing by the mutation run (state-registry.ts).
import { describe, expect, it } from "vitest";
import { ReplyRejectedError } from "../src/errors.js";
import { StateRegistry } from "../src/state-registry.js";
import { ExpireMode } from "../src/wire-codec.js";

const INT = "io.statefun.types/int";
const FN = "ns/counter";

function rejected(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ReplyRejectedError);
    return (error as Error).message;
  }
  throw new Error("expected a ReplyRejectedError");
}

describe("StateRegistry", () => {
  it("knows no states of a type that registered none", () => {
    const registry = new StateRegistry();
    expect(registry.statesOf(FN).size).toBe(0);
    expect(registry.register(FN, [])).toBe(0);
    expect(registry.statesOf(FN).size).toBe(0);
  });

  it("registers each state with its typename and expiry, and counts only new ones", () => {
    const registry = new StateRegistry();
    const added = registry.register(FN, [
      { stateName: "plain", typeTypename: INT },
      {
        stateName: "write",
        typeTypename: INT,
        expirationSpec: { mode: ExpireMode.AFTER_WRITE, expireAfterMillis: 1500 },
      },
      {
        stateName: "invoke",
        typeTypename: INT,
        expirationSpec: {
          mode: ExpireMode.AFTER_INVOKE,
          expireAfterMillis: 60_000,
        },
      },
      // a mode without a time, and a time without a mode, expire never
      { stateName: "no-time", typeTypename: INT, expirationSpec: { mode: ExpireMode.AFTER_WRITE } },
      {
        stateName: "no-invoke-time",
        typeTypename: INT,
        expirationSpec: { mode: ExpireMode.AFTER_INVOKE, expireAfterMillis: 0 },
      },
      {
        stateName: "no-mode",
        typeTypename: INT,
        expirationSpec: { mode: ExpireMode.NONE, expireAfterMillis: 10 },
      },
      { stateName: "untyped" },
    ]);
    expect(added).toBe(7);
    expect(Object.fromEntries(registry.statesOf(FN))).toEqual({
      plain: { typename: INT, expiry: { mode: "none", ttlMs: 0 } },
      write: { typename: INT, expiry: { mode: "after-write", ttlMs: 1500 } },
      invoke: { typename: INT, expiry: { mode: "after-invoke", ttlMs: 60_000 } },
      "no-time": { typename: INT, expiry: { mode: "none", ttlMs: 0 } },
      "no-invoke-time": { typename: INT, expiry: { mode: "none", ttlMs: 0 } },
      "no-mode": { typename: INT, expiry: { mode: "none", ttlMs: 0 } },
      untyped: { typename: "io.statefun.types/unset", expiry: { mode: "none", ttlMs: 0 } },
    });
    // other function types are separate
    expect(registry.statesOf("ns/other").size).toBe(0);
  });

  it("keeps the first registration (TTL included) and counts a repeated spec as nothing new", () => {
    const registry = new StateRegistry();
    const spec = (ms: number) => ({
      stateName: "s",
      typeTypename: INT,
      expirationSpec: { mode: ExpireMode.AFTER_WRITE, expireAfterMillis: ms },
    });
    expect(registry.register(FN, [spec(100)])).toBe(1);
    expect(registry.register(FN, [spec(999), { stateName: "t", typeTypename: INT }])).toBe(1);
    expect(registry.statesOf(FN).get("s")).toEqual({
      typename: INT,
      expiry: { mode: "after-write", ttlMs: 100 },
    });
    expect([...registry.statesOf(FN).keys()]).toEqual(["s", "t"]);
  });

  it("rejects a second registration with another type, naming both types", () => {
    const registry = new StateRegistry();
    registry.register(FN, [{ stateName: "s", typeTypename: INT }]);
    expect(rejected(() => registry.register(FN, [{ stateName: "s", typeTypename: "ns/T" }]))).toBe(
      'function ns/counter declared state "s" with type ns/T, but it is registered with type io.statefun.types/int; keep a state\'s type stable (or rename the state)',
    );
    // the same name under another function type is another state
    expect(registry.register("ns/other", [{ stateName: "s", typeTypename: "ns/T" }])).toBe(1);
  });

  it("rejects a state without a name", () => {
    const registry = new StateRegistry();
    for (const spec of [{ typeTypename: INT }, { stateName: "", typeTypename: INT }]) {
      expect(rejected(() => registry.register(FN, [spec]))).toBe(
        "function ns/counter asked to register a state with an empty name",
      );
    }
  });

  it.each(["nons", "a/b/c", "/name", "ns/"])("rejects the state typename %j", (typename) => {
    const registry = new StateRegistry();
    expect(
      rejected(() => registry.register(FN, [{ stateName: "s", typeTypename: typename }])),
    ).toBe(
      `function ns/counter declared state "s" with typename "${typename}"; a state typename must be "<namespace>/<name>" with exactly one "/"`,
    );
  });
});
