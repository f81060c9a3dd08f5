// Strict UTF-8 checking on its own: the offset the ingress reports for a bad byte, at every
// boundary of the encoding, and agreement with a fatal TextDecoder. Found missing by the mutation
// run (utf8.ts was only reached through the servers).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalidUtf8Offset, utf8Text } from "../src/utf8.js";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("invalidUtf8Offset", () => {
  it.each<[string, Uint8Array, number]>([
    ["empty", bytes(), -1],
    ["ASCII", bytes(0x41, 0x7f), -1],
    ["smallest and largest 2-byte forms", bytes(0xc2, 0x80, 0xdf, 0xbf), -1],
    ["smallest 3-byte form", bytes(0xe0, 0xa0, 0x80), -1],
    ["last code point before the surrogates", bytes(0xed, 0x9f, 0xbf), -1],
    ["first code point after the surrogates", bytes(0xee, 0x80, 0x80), -1],
    ["largest 3-byte form", bytes(0xef, 0xbf, 0xbf), -1],
    ["smallest 4-byte form", bytes(0xf0, 0x90, 0x80, 0x80), -1],
    ["U+10FFFF", bytes(0xf4, 0x8f, 0xbf, 0xbf), -1],
    ["a lone continuation byte", bytes(0x41, 0x80), 1],
    ["overlong 2-byte lead 0xc0", bytes(0xc0, 0x80), 0],
    ["overlong 2-byte lead 0xc1", bytes(0xc1, 0xbf), 0],
    ["overlong 3-byte form", bytes(0x41, 0xe0, 0x9f, 0xbf), 1],
    ["first surrogate", bytes(0xed, 0xa0, 0x80), 0],
    ["last surrogate", bytes(0xed, 0xbf, 0xbf), 0],
    ["overlong 4-byte form", bytes(0xf0, 0x8f, 0xbf, 0xbf), 0],
    ["above U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ["lead 0xf5", bytes(0xf5, 0x80, 0x80, 0x80), 0],
    ["lead 0xff", bytes(0xff), 0],
    ["a truncated 2-byte form at the end", bytes(0x41, 0x42, 0xc3), 2],
    ["a truncated 4-byte form at the end", bytes(0xf0, 0x9f, 0x98), 0],
    ["a 3-byte form cut by ASCII", bytes(0xe2, 0x82, 0x41), 0],
    ["a 2-byte form followed by a lead byte", bytes(0xc3, 0xc3, 0xa9), 0],
    [
      "a bad sequence after valid multi-byte text",
      bytes(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0x80),
      5,
    ],
  ])("%s", (_, input, offset) => {
    expect(invalidUtf8Offset(input)).toBe(offset);
    expect(utf8Text(input) === undefined).toBe(offset >= 0);
  });

  it("agrees with a fatal TextDecoder on any bytes, and the bytes before the offset are valid (property)", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        decoder.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    // biased to lead and continuation bytes, so that most inputs hold multi-byte forms
    const byte = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xbf }),
      fc.integer({ min: 0xc0, max: 0xff }),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (values) => {
        const input = Uint8Array.from(values);
        const at = invalidUtf8Offset(input);
        expect(at === -1).toBe(valid(input));
        if (at >= 0) expect(valid(input.subarray(0, at))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("utf8Text gives the text of valid bytes", () => {
    expect(utf8Text(new TextEncoder().encode("grüße €"))).toBe("grüße €");
    expect(utf8Text(bytes(0xff))).toBeUndefined();
  });
});
