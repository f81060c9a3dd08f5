// The example types can be imported next to the SDK and the registry library: no export name is
// shared (the registry's old `Address` clashed with the SDK's `Address`).
import * as registry from "@statefun-ts/registry";
import * as sdk from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import * as examples from "./index.js";

describe("export names", () => {
  it("share nothing between the examples, the SDK and the registry library", () => {
    const names = (module: object) => new Set(Object.keys(module));
    const [e, s, r] = [names(examples), names(sdk), names(registry)];
    expect([...e].filter((n) => s.has(n) || r.has(n))).toEqual([]);
    expect([...r].filter((n) => s.has(n))).toEqual([]);
    expect(e.has("PostalAddressType")).toBe(true);
  });
});
