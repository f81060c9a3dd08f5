// The production rules of both adapters (node:http and fetch): deadlines, thrown values of any
// kind, gzip/deflate bodies and replies, body and concurrency limits. Each defect listed in issue
// 11 has a regression test here that fails on the code before it.

import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { ADAPTERS, type Adapter, type Endpoint, serve } from "../../test/http-harness.js";
import { invocationResult, stringValue, toFunction } from "../../test/wire.js";
import type { HandlerOptions } from "../handler-options.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { StringType } from "../types/built-in-types.js";

const ECHO = typeNameFrom("com.example/echo");
const OCTET = { "Content-Type": "application/octet-stream" };

/** What a test function does on each message text. */
const behaviours: Record<string, () => unknown> = {};
const sentLate: string[] = [];

function builder() {
  return statefulFunctionsBuilder().withSpec({
    functionType: ECHO,
    function: async (ctx, message) => {
      const text = message.asString();
      const behaviour = behaviours[text];
      if (behaviour !== undefined) {
        const outcome = behaviour();
        if (outcome instanceof Promise) await outcome;
      }
      ctx.send({ target: { functionType: ECHO, id: "out" }, value: text });
    },
  });
}

const batch = (texts: string[], id = "7") =>
  toFunction({
    target: { namespace: "com.example", type: "echo", id },
    invocations: texts.map((t) => ({ argument: stringValue(t) })),
  });

const sentTexts = (body: Uint8Array) =>
  invocationResult(body).outgoingMessages.map((m) => StringType.deserialize(m.argument!.value!));

const quiet: HandlerOptions = { logger: { error() {} } };

let endpoint: Endpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  for (const key of Object.keys(behaviours)) delete behaviours[key];
  sentLate.length = 0;
});

async function start(adapter: Adapter, options: HandlerOptions = {}): Promise<Endpoint> {
  endpoint = await serve(adapter, builder(), { ...quiet, ...options });
  return endpoint;
}

describe.each(ADAPTERS)("%s adapter", (adapter) => {
  describe("deadline (invocationTimeoutMs)", () => {
    it("a function that never settles gets a 500 naming type, id and limit (regression)", async () => {
      behaviours.hang = () => new Promise(() => {});
      const ep = await start(adapter, { invocationTimeoutMs: 100 });
      const started = Date.now();
      const res = await Promise.race([
        ep.send({ headers: OCTET, body: batch(["ok", "hang", "ok"]) }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("no reply within 5 s: the request hangs")), 5000),
        ),
      ]);
      expect(res.status).toBe(500);
      expect(res.text).toMatch(
        /function com\.example\/echo:7 did not finish its batch within invocationTimeoutMs = 100 ms \(invocation 2 of 3 still running\)/,
      );
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it("nothing a timed-out invocation does afterwards reaches any reply", async () => {
      let release: () => void = () => {};
      behaviours.slow = () =>
        new Promise<void>((resolve) => {
          release = resolve;
        });
      behaviours.late = () => {
        sentLate.push("late ran");
      };
      const ep = await start(adapter, { invocationTimeoutMs: 50 });
      const timedOut = await ep.send({ headers: OCTET, body: batch(["slow", "late"]) });
      expect(timedOut.status).toBe(500);
      // The slow invocation finishes now: it sends "slow", then the batch would run "late".
      release();
      await new Promise((r) => setTimeout(r, 20));
      const next = await ep.send({ headers: OCTET, body: batch(["fresh"]) });
      expect(next.status).toBe(200);
      expect(sentTexts(next.body)).toEqual(["fresh"]);
      expect(sentLate).toEqual([]); // the rest of the abandoned batch never ran
    });

    it("defaults to 60 s and rejects a bad value naming the option", () => {
      expect(() => builder().asHandler({ invocationTimeoutMs: 0 })).toThrow(
        /handler option invocationTimeoutMs must be a whole number from 1/,
      );
      expect(() => builder().asFetchHandler({ maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    });
  });

  describe("thrown values never lose context", () => {
    const thrown: [string, () => unknown, RegExp][] = [
      ["a null-prototype object", () => Object.create(null), /null prototype/],
      [
        "an Error whose message getter throws",
        () =>
          Object.defineProperty(new Error("x"), "message", {
            get() {
              throw new Error("getter");
            },
          }),
        /Error with no message/,
      ],
      [
        "an object whose toString throws",
        () => ({
          toString() {
            throw new Error("nope");
          },
        }),
        /\[object Object\]/,
      ],
      ["a symbol", () => Symbol("boom"), /a symbol Symbol\(boom\)/],
      ["undefined", () => undefined, /undefined/],
      ["null", () => null, /null/],
      [
        "a revoked proxy",
        () => {
          const { proxy, revoke } = Proxy.revocable({}, {});
          revoke();
          return proxy;
        },
        /./,
      ],
    ];
    for (const sync of [true, false]) {
      it.each(thrown)(
        `${sync ? "sync" : "async"}: %s gives a 500 naming type and id (regression)`,
        async (_, make, description) => {
          behaviours.boom = sync
            ? () => {
                throw make();
              }
            : () => Promise.reject(make());
          const ep = await start(adapter);
          const res = await ep.send({ headers: OCTET, body: batch(["boom"], "id-42") });
          expect(res.status).toBe(500);
          expect(res.text).toMatch(
            /^function com\.example\/echo:id-42 failed on invocation 1 of 1: /,
          );
          expect(res.text).toMatch(description);
        },
      );
    }
  });

  describe("compression", () => {
    it("decodes gzip, deflate (zlib) and raw deflate request bodies (regression: was a 400)", async () => {
      const ep = await start(adapter);
      for (const [encoding, encode] of [
        ["gzip", gzipSync],
        ["deflate", deflateSync],
        ["deflate", deflateRawSync],
      ] as const) {
        const res = await ep.send({
          headers: { ...OCTET, "Content-Encoding": encoding },
          body: encode(batch([`via ${encoding}`])),
        });
        expect(res.status, res.text).toBe(200);
        expect(sentTexts(res.body)).toEqual([`via ${encoding}`]);
      }
    });

    it("415 for another content encoding, 400 for a body that does not decode", async () => {
      const ep = await start(adapter);
      const br = await ep.send({
        headers: { ...OCTET, "Content-Encoding": "br" },
        body: batch(["a"]),
      });
      expect(br.status).toBe(415);
      expect(br.text).toMatch(
        /unsupported content encoding br: send the body as is, or with Content-Encoding gzip or deflate/,
      );
      const bad = await ep.send({
        headers: { ...OCTET, "Content-Encoding": "gzip" },
        body: batch(["a"]),
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toMatch(/request body is not valid gzip data/);
    });

    it("a zip bomb gets a 413: the limit applies to the decoded size", async () => {
      const ep = await start(adapter, { maxBodyBytes: 1024 * 1024 });
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros, ~64 KiB gzip'd
      expect(bomb.length).toBeLessThan(100 * 1024);
      const res = await ep.send({ headers: { ...OCTET, "Content-Encoding": "gzip" }, body: bomb });
      expect(res.status).toBe(413);
      expect(res.text).toMatch(
        /request body larger than maxBodyBytes = 1048576 bytes \(more than 1048576 bytes gzip-decoded\)/,
      );
    });

    it("gzips replies of at least 1 KiB when Accept-Encoding allows, and only then", async () => {
      const ep = await start(adapter);
      const big = "x".repeat(2000);
      const zipped = await ep.send({
        headers: { ...OCTET, "Accept-Encoding": "gzip, deflate" },
        body: batch([big]),
      });
      expect(zipped.status).toBe(200);
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(Number(zipped.headers["content-length"])).toBe(zipped.body.length);
      expect(zipped.body.length).toBeLessThan(500);
      expect(sentTexts(gunzipSync(zipped.body))).toEqual([big]);

      const small = await ep.send({
        headers: { ...OCTET, "Accept-Encoding": "gzip" },
        body: batch(["hi"]),
      });
      expect(small.headers["content-encoding"]).toBeUndefined();
      const refused = await ep.send({
        headers: { ...OCTET, "Accept-Encoding": "gzip;q=0, identity" },
        body: batch([big]),
      });
      expect(refused.headers["content-encoding"]).toBeUndefined();
      expect(sentTexts(refused.body)).toEqual([big]);
      const none = await ep.send({ headers: OCTET, body: batch([big]) });
      expect(none.headers["content-encoding"]).toBeUndefined();
    });

    it("compressReplies: false turns it off", async () => {
      const ep = await start(adapter, { compressReplies: false });
      const res = await ep.send({
        headers: { ...OCTET, "Accept-Encoding": "gzip" },
        body: batch(["y".repeat(4000)]),
      });
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(sentTexts(res.body)).toEqual(["y".repeat(4000)]);
    });
  });

  describe("limits", () => {
    it("413 when the body is over maxBodyBytes", async () => {
      const ep = await start(adapter, { maxBodyBytes: 1000 });
      const res = await ep.send({ headers: OCTET, body: batch(["z".repeat(2000)]) });
      expect(res.status).toBe(413);
      expect(res.text).toMatch(/request body larger than maxBodyBytes = 1000 bytes/);
      const ok = await ep.send({ headers: OCTET, body: batch(["z".repeat(500)]) });
      expect(ok.status).toBe(200);
    });

    it("503 beyond maxConcurrentRequests, and requests are served again once below", async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      behaviours.wait = () => gate;
      const ep = await start(adapter, { maxConcurrentRequests: 2 });
      const held = [
        ep.send({ headers: OCTET, body: batch(["wait"]) }),
        ep.send({ headers: OCTET, body: batch(["wait"]) }),
      ];
      await new Promise((r) => setTimeout(r, 100));
      const busy = await ep.send({ headers: OCTET, body: batch(["a"]) });
      expect(busy.status).toBe(503);
      expect(busy.text).toMatch(/too many requests in progress \(maxConcurrentRequests = 2\)/);
      release();
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
      const after = await ep.send({ headers: OCTET, body: batch(["b"]) });
      expect(after.status).toBe(200);
    });
  });
});
