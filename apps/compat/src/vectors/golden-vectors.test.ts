import { join } from "node:path";
import { statefulFunctionsBuilder } from "@statefun-ts/sdk";
import { describe, expect, inject, it } from "vitest";
import { FIXTURE_LANGS, type FixtureLang } from "../fixtures.js";
import { registerRelay } from "../relay.js";
import { freshReplies, readReplies, readRequests, VECTORS_DIR } from "./golden.js";
import { type NormalizedReply, normalizeReply } from "./normalize.js";
import { goldenRequests } from "./requests.js";

/**
 * Where the official SDKs disagree with each other, our SDK follows the majority and PROTOCOL.md;
 * each such vector says what the odd SDK does, and the test checks that it still does exactly that.
 */
type Divergence = "fails" | "drops-negative-zero-sign";

function divergences(kind: Divergence, names: readonly string[]): Record<string, Divergence> {
  return Object.fromEntries(names.map((name) => [name, kind]));
}

// Java and Python encode a float/double -0.0 as the empty (default) wrapper, i.e. +0.0: the sign
// is lost. Go and our SDK keep it (`0d 00 00 00 80`), as proto3 requires (-0 is not the default).
const NEG0 = divergences("drops-negative-zero-sign", [
  "send-float-neg0",
  "send-double-neg0",
  "egress-float-neg0",
  "egress-double-neg0",
  "state-present-without-value",
]);
const OFFICIAL_DIVERGENCES: Record<FixtureLang, Record<string, Divergence>> = {
  // Go's ctx.Caller() is non-nil for an all-empty caller Address; Java, Python and PROTOCOL.md
  // §4.4 treat it as "no caller", so the relay writes to the egress where Go fails to reply.
  go: { "reply-last-hop-empty-caller": "fails" },
  java: NEG0,
  python: NEG0,
};

const NEG0_ENCODINGS = new Set(["0d00000080", "090000000000000080"]);

/** Our reply as an SDK that drops the sign of -0.0 would write it. */
function withoutNegativeZeroSign(reply: NormalizedReply): NormalizedReply {
  return JSON.parse(JSON.stringify(reply), (key, value) => {
    const neg0 = typeof value === "string" && NEG0_ENCODINGS.has(value);
    return (key === "hex" || key === "value") && neg0 ? "" : value;
  }) as NormalizedReply;
}

const handler = registerRelay(statefulFunctionsBuilder()).asHandler({
  logger: { error: () => {} },
});

async function ours(bytes: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    return await handler.invoke(bytes);
  } catch {
    return undefined;
  }
}

const requests = await readRequests();

describe("golden requests", () => {
  it("are current with src/vectors/requests.ts (regenerate: npm run vectors)", () => {
    const expected = goldenRequests();
    expect(requests.map((r) => r.name).sort()).toEqual(expected.map((r) => r.name).sort());
    for (const r of expected) {
      const committed = requests.find((c) => c.name === r.name);
      expect(Buffer.from(committed?.bytes ?? []).toString("hex"), r.name).toBe(
        Buffer.from(r.bytes).toString("hex"),
      );
    }
  });
});

describe.each(FIXTURE_LANGS)("golden vectors of the official %s SDK", async (lang) => {
  const replies = await readReplies(join(VECTORS_DIR, lang));
  const known = OFFICIAL_DIVERGENCES[lang];

  it("cover every request", () => {
    expect([...replies.keys()].sort()).toEqual(requests.map((r) => r.name).sort());
  });

  it.each(requests.map((r) => [r.name, r.bytes] as const))(
    "our SDK replies to %s as the official SDK does",
    async (name, bytes) => {
      const theirs = normalizeReply(replies.get(name));
      const mine = normalizeReply(await ours(bytes));
      const divergence = known[name];
      switch (divergence) {
        case "fails":
          expect(theirs, `the ${lang} SDK is expected to fail on ${name}`).toEqual({ error: true });
          expect(mine).not.toEqual({ error: true });
          return;
        case "drops-negative-zero-sign":
          expect(mine, `${name} still diverges (${divergence})`).not.toEqual(theirs);
          expect(withoutNegativeZeroSign(mine)).toEqual(theirs);
          return;
        default:
          expect(mine).toEqual(theirs);
      }
    },
  );

  it("are current: the official SDK still produces the committed replies", async (ctx) => {
    const fixture = inject("fixtures").find((f) => f.lang === lang);
    if (!fixture?.ready) {
      ctx.skip(
        `the ${lang} toolchain is missing: ${fixture && !fixture.ready ? fixture.reason : "not built"}`,
      );
      return;
    }
    const fresh = await freshReplies(lang);
    expect([...fresh.keys()].sort()).toEqual([...replies.keys()].sort());
    for (const [name, bytes] of fresh) {
      expect(normalizeReply(bytes), name).toEqual(normalizeReply(replies.get(name)));
    }
  });
});
