// Tests of the node:http adapter (and the same table on createStatefunServer) over real sockets on
// 127.0.0.1: status codes, content types, bodies read by express, and failures reported to the logger.

import { once } from "node:events";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
} from "node:http";
import type { AddressInfo, Server as NetServer } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { invocationResult, stringValue, toFunction } from "../../test/wire.js";
import { createStatefunServer } from "../server/statefun-server.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { StringType } from "../types/built-in-types.js";

const logged: { message: string; error: unknown }[] = [];
const handler = statefulFunctionsBuilder()
  .withSpec({
    functionType: typeNameFrom("com.example/echo"),
    function: (ctx, message) => {
      const text = message.asString();
      if (text === "throw") throw new Error("function failed on purpose");
      ctx.send({
        target: { functionType: typeNameFrom("com.example/echo"), id: "other" },
        value: text,
      });
    },
  })
  .asHandler({ logger: { error: (message, error) => void logged.push({ message, error }) } });

const request = (text: string) =>
  toFunction({
    target: { namespace: "com.example", type: "echo", id: "7" },
    invocations: [{ argument: stringValue(text) }],
  });

let server: NetServer | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
  logged.length = 0;
});

/** Stands for "serve the handler with createStatefunServer" in the table below. */
const STATEFUN_SERVER = Symbol("createStatefunServer");

async function listen(listener: RequestListener | typeof STATEFUN_SERVER): Promise<string> {
  server = listener === STATEFUN_SERVER ? createStatefunServer(handler) : createServer(listener);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/statefun`;
}

/** POSTs `body` with node:http and no Content-Type header; returns the status and reply body. */
async function postWithoutContentType(
  url: string,
  body: Uint8Array,
): Promise<{ status: number; body: Uint8Array; sentContentType: string | undefined }> {
  const req = httpRequest(url, { method: "POST", headers: { "Content-Length": body.length } });
  const sentContentType = req.getHeader("content-type") as string | undefined;
  req.end(body);
  const [res] = (await once(req, "response")) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return {
    status: res.statusCode ?? 0,
    body: new Uint8Array(Buffer.concat(chunks)),
    sentContentType,
  };
}

function expressApp(): RequestListener {
  const app = express();
  app.post("/statefun", handler);
  return app;
}

function expressWithRawParser(): RequestListener {
  const app = express();
  app.use(express.raw({ type: "*/*", limit: "64mb" }));
  app.post("/statefun", handler);
  return app;
}

type Served = () => RequestListener | typeof STATEFUN_SERVER;
describe.each<[string, Served]>([
  ["node:http", () => handler as RequestListener],
  ["express", expressApp],
  ["express with express.raw()", expressWithRawParser],
  ["createStatefunServer", () => STATEFUN_SERVER],
])("over HTTP with %s", (_, make) => {
  const post = async (url: string, body: Uint8Array, contentType = "application/octet-stream") =>
    fetch(url, { method: "POST", body, headers: { "content-type": contentType } });

  it("200 application/octet-stream with Content-Length and the reply", async () => {
    const url = await listen(make());
    const res = await post(url, request("hi"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const body = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get("content-length"))).toBe(body.length);
    const result = invocationResult(body);
    expect(StringType.deserialize(result.outgoingMessages[0]!.argument!.value!)).toBe("hi");
  });

  it("accepts an octet-stream content type with parameters, and none at all", async () => {
    const url = await listen(make());
    const withParameters = await post(
      url,
      request("a"),
      "Application/Octet-Stream; charset=binary",
    );
    expect(withParameters.status).toBe(200);
    const reply = invocationResult(new Uint8Array(await withParameters.arrayBuffer()));
    expect(StringType.deserialize(reply.outgoingMessages[0]!.argument!.value!)).toBe("a");

    // node:http sends exactly the headers given: no Content-Type at all
    const bare = await postWithoutContentType(url, request("b"));
    expect(bare.sentContentType).toBeUndefined();
    expect(bare.status).toBe(200);
    const bareReply = invocationResult(bare.body);
    expect(StringType.deserialize(bareReply.outgoingMessages[0]!.argument!.value!)).toBe("b");
  });

  it("415 for another content type", async () => {
    const url = await listen(make());
    const res = await post(url, request("a"), "application/json");
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(
      /unsupported content type application\/json: expected application\/octet-stream/,
    );
  });

  it("400 with a message for an empty body and for garbage", async () => {
    const url = await listen(make());
    const empty = await post(url, new Uint8Array());
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/empty request body/);
    const garbage = await post(url, Uint8Array.from([0xff, 0xff, 0xff]));
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toMatch(/not a protobuf ToFunction message/);
  });

  it("404 naming the unknown function type and the types served", async () => {
    const url = await listen(make());
    const res = await post(
      url,
      toFunction({ target: { namespace: "com.example", type: "nope", id: "1" }, invocations: [] }),
    );
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(
      /unknown function type com\.example\/nope; this handler serves: com\.example\/echo/,
    );
  });

  it("500 with a text message when the function throws, logged with type, id and stack", async () => {
    const url = await listen(make());
    const res = await post(url, request("throw"));
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(
      /function com\.example\/echo:7 failed on invocation 1 of 1: function failed on purpose/,
    );
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toContain("com.example/echo:7");
    const cause = (logged[0]!.error as Error).cause as Error;
    expect(cause.stack).toMatch(/function failed on purpose\n\s+at /);
  });
});

describe("the node:http listener", () => {
  it("405 with Allow: POST for other methods", async () => {
    const url = await listen(handler);
    const res = await fetch(url, { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.text()).toMatch(/method GET not allowed/);
  });

  it("serves requests concurrently on keep-alive connections", async () => {
    const url = await listen(handler);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(url, { method: "POST", body: request(`m${i}`) }).then((r) => r.arrayBuffer()),
      ),
    );
    expect(
      replies.map((r) =>
        StringType.deserialize(
          invocationResult(new Uint8Array(r)).outgoingMessages[0]!.argument!.value!,
        ),
      ),
    ).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });
});
