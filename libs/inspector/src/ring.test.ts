import { describe, expect, it } from "vitest";
import { pushBounded } from "./ring.js";

describe("pushBounded (the page's history)", () => {
  it("puts new items first and keeps at most the bound", () => {
    let list: number[] = [];
    for (let i = 1; i <= 10; i += 1) list = pushBounded(list, [i * 10, i * 10 + 1], 5);
    expect(list).toEqual([101, 100, 91, 90, 81]);
  });
});
