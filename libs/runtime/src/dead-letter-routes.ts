// The dead-letter part of the runtime's HTTP API (served on the egress port):
// GET /dead-letters, POST /dead-letters/<n>/replay, DELETE /dead-letters/<n>.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeadLetter } from "./durable-store.js";
import { sendError, sendJson } from "./http-util.js";
import type { RuntimeCore } from "./runtime-core.js";
import { utf8Text } from "./utf8.js";
import { stringWrapperBytes } from "./wire-codec.js";

const MAX_LIMIT = 1000;

/** The JSON form of a dead letter. */
export function deadLetterJson(letter: DeadLetter): Record<string, unknown> {
  // A string message shows its text ("string"); other values their bytes as UTF-8 or base64.
  const inner =
    letter.argument.typename === "io.statefun.types/string"
      ? stringWrapperBytes(letter.argument.value)
      : undefined;
  const innerText = inner === undefined ? undefined : utf8Text(inner);
  const text = innerText ?? utf8Text(letter.argument.value);
  const address = (a: { namespace: string; type: string; id: string }) =>
    `${a.namespace}/${a.type}/${a.id}`;
  return {
    n: letter.n,
    target: address(letter.target),
    caller: letter.caller ? address(letter.caller) : null,
    typename: letter.argument.typename,
    value: text ?? Buffer.from(letter.argument.value).toString("base64"),
    valueEncoding: innerText !== undefined ? "string" : text === undefined ? "base64" : "utf8",
    reason: letter.reason,
    attempts: letter.attempts,
    failedAt: new Date(letter.failedAt).toISOString(),
    enqueuedAt: new Date(letter.enqueuedAt).toISOString(),
  };
}

/** Serves a `/dead-letters` request; false when the path is not one of these routes. */
export function serveDeadLetters(
  core: RuntimeCore,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): boolean {
  const match = /^\/dead-letters(?:\/([^/]+)(\/replay)?)?\/?$/.exec(url.pathname);
  if (!match) return false;
  const [, number, replay] = match;
  if (number === undefined) {
    if (request.method !== "GET") {
      response.setHeader("Allow", "GET");
      sendError(response, 405, `${request.method} /dead-letters: use GET to list dead letters`);
      return true;
    }
    const from = Number(url.searchParams.get("from") ?? "0");
    const limit = Number(url.searchParams.get("limit") ?? "100");
    if (!Number.isSafeInteger(from) || from < 0) {
      sendError(
        response,
        400,
        `"from" must be a dead-letter number >= 0, got ${url.searchParams.get("from")}`,
      );
      return true;
    }
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      sendError(
        response,
        400,
        `"limit" must be between 1 and ${MAX_LIMIT}, got ${url.searchParams.get("limit")}`,
      );
      return true;
    }
    const letters = core.deadLetters(from, limit);
    const last = letters[letters.length - 1];
    sendJson(response, 200, {
      deadLetters: letters.map(deadLetterJson),
      next: last ? last.n + 1 : from,
      total: core.stats().deadLetters,
    });
    return true;
  }
  const n = Number(number);
  if (!/^\d+$/.test(number) || !Number.isSafeInteger(n)) {
    sendError(
      response,
      400,
      `dead letter "${number}" is not a number: use /dead-letters/<n> with n from GET /dead-letters`,
    );
    return true;
  }
  if (replay) {
    if (request.method !== "POST") {
      response.setHeader("Allow", "POST");
      sendError(
        response,
        405,
        `${request.method} ${url.pathname}: use POST to replay a dead letter`,
      );
      return true;
    }
    const target = core.replayDeadLetter(n);
    if (!target)
      sendError(response, 404, `there is no dead letter #${n} (GET /dead-letters lists them)`);
    else
      sendJson(response, 200, {
        replayed: n,
        target: `${target.namespace}/${target.type}/${target.id}`,
      });
    return true;
  }
  if (request.method === "GET") {
    const letter = core.deadLetters(n, 1)[0];
    if (!letter || letter.n !== n) sendError(response, 404, `there is no dead letter #${n}`);
    else sendJson(response, 200, deadLetterJson(letter));
    return true;
  }
  if (request.method !== "DELETE") {
    response.setHeader("Allow", "GET, DELETE");
    sendError(
      response,
      405,
      `${request.method} ${url.pathname}: use DELETE to drop a dead letter, POST .../replay to replay it`,
    );
    return true;
  }
  if (core.dropDeadLetter(n)) sendJson(response, 200, { dropped: n });
  else sendError(response, 404, `there is no dead letter #${n} (GET /dead-letters lists them)`);
  return true;
}
