// Values read from a request stay ranges of its payload (no byte view per value): messages and
// states read through them give what the value types' own deserialize gives, for canonical and
// non-canonical encodings, and rawValue() gives exactly the value's bytes.

import { describe, expect, it } from "vitest";
import { hex, intValue, invocationResult, io, stringValue, toFunction } from "../test/wire.js";
import type { Context } from "./context.js";
import type { Message } from "./message.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { Float64Type, Int32Type, StringType } from "./types/built-in-types.js";
import type { ValueSpec } from "./value-spec.js";

const seen: ValueSpec<number> = { name: "seen", valueType: Int32Type };
const target = { namespace: "org.foo", type: "ranges", id: "0" };

function run(
  argument: { typename: string; value: Uint8Array },
  state: { typename: string; value: Uint8Array } | undefined,
  fn: (ctx: Context, message: Message) => void,
) {
  const h = statefulFunctionsBuilder()
    .withSpec({ functionType: typeNameFrom("org.foo/ranges"), states: [seen], function: fn })
    .asHandler();
  return h.invoke(
    toFunction({
      target,
      states: { seen: state === undefined ? null : state },
      invocations: [{ argument: { hasValue: true, ...argument } }, { argument: stringValue("") }],
    }),
  );
}

describe("values read from the request", () => {
  it.each([
    ["short ASCII", "Alice"],
    ["32 ASCII characters", "x".repeat(32)],
    ["33 ASCII characters", "y".repeat(33)],
    ["non-ASCII", "Zoë ✓ 😀"],
    ["long", "long text ".repeat(40)],
    ["empty", ""],
  ])(
    "a string message (%s) reads as StringType.deserialize reads it, rawValue as sent",
    async (_, text) => {
      const argument = stringValue(text);
      const seenTexts: string[] = [];
      const raws: string[] = [];
      await run(
        { typename: argument.typename, value: argument.value! },
        undefined,
        (_ctx, message) => {
          seenTexts.push(message.asString());
          raws.push(hex(message.rawValue()));
          seenTexts.push(message.as(StringType)); // again, after rawValue() made the view
        },
      );
      expect(seenTexts.slice(0, 2)).toEqual([text, text]);
      expect(raws[0]).toBe(hex(argument.value!));
    },
  );

  it("a non-canonical string wrapper (a two-byte length) and invalid UTF-8 as deserialize treats them", async () => {
    const texts: string[] = [];
    const nonCanonical = Uint8Array.from([0x0a, 0x85, 0x00, 0x41, 0x42, 0x43, 0x44, 0x45]);
    await run({ typename: "io.statefun.types/string", value: nonCanonical }, undefined, (_c, m) => {
      if (texts.length === 0) texts.push(m.asString());
    });
    expect(texts).toEqual([StringType.deserialize(nonCanonical)]);
    const invalid = Uint8Array.from([0x0a, 0x02, 0xc3, 0x28]);
    await expect(
      run({ typename: "io.statefun.types/string", value: invalid }, undefined, (_c, m) => {
        if (m.rawValue().length > 0) m.asString();
      }),
    ).rejects.toThrow(/not valid UTF-8/);
  });

  it("other types get exactly the value's bytes", async () => {
    const value = Float64Type.serialize(2.5);
    const got: number[] = [];
    await run({ typename: "io.statefun.types/double", value }, undefined, (_c, m) => {
      if (m.rawValue().length > 0) got.push(m.as(Float64Type));
    });
    expect(got).toEqual([2.5]);
  });

  it.each([
    ["canonical", intValue(41).value!, 41],
    ["negative", intValue(-7).value!, -7],
    ["zero (no bytes)", new Uint8Array(0), 0],
    // sfixed32 then an unknown field: not the 5-byte canonical form
    ["non-canonical", Uint8Array.from([0x0d, 0x29, 0, 0, 0, 0x10, 0x01]), 41],
  ])("an int state (%s) reads as Int32Type.deserialize reads it", async (_, bytes, expected) => {
    const states: (number | undefined)[] = [];
    const reply = await run(
      stringValue("x") as { typename: string; value: Uint8Array },
      { typename: "io.statefun.types/int", value: bytes },
      (ctx) => {
        const now = ctx.storage.get(seen);
        states.push(now);
        ctx.storage.set(seen, (now ?? 0) + 1);
      },
    );
    expect(states).toEqual([expected, expected + 1]);
    const mutation = invocationResult(reply).stateMutations[0]!;
    expect(io.statefun.sdk.types.IntWrapper.decode(mutation.stateValue!.value!).value).toBe(
      expected + 2,
    );
  });
});
