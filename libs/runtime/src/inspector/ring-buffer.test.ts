import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer.js";

describe("RingBuffer", () => {
  it("keeps the newest items up to its capacity and counts every push", () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 1000; i += 1) ring.push(i);
    expect(ring.newestFirst()).toEqual([1000, 999, 998]);
    expect(ring.length).toBe(3);
    expect(ring.pushed).toBe(1000);
  });

  it("refuses a capacity below 1", () => {
    expect(() => new RingBuffer(0)).toThrow(/capacity >= 1/);
  });
});
