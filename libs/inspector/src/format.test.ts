import { describe, expect, it } from "vitest";
import { duration, hexDump, relative, size } from "./format.js";

describe("formatters", () => {
  it("say how far a time is", () => {
    expect(relative(1_000_000 + 30 * 60_000, 1_000_000)).toBe("in 30 min");
    expect(relative(1_000_000 - 3_000, 1_000_000)).toBe("3 s ago");
    expect(relative(1_000_400, 1_000_000)).toBe("just now");
  });

  it("format durations, sizes and hex", () => {
    expect(duration(850)).toBe("850 ms");
    expect(duration(1500)).toBe("1.5 s");
    expect(size(2048)).toBe("2.0 KiB");
    expect(hexDump("0a03426f62")).toBe("000000  0a03 426f 62");
  });
});
