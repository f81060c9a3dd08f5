// The browser guard on its own: which Host headers count as loopback (DNS-rebinding protection),
// which Origins are the runtime's own, and the 403 that says why. Found missing by the mutation
// run (browser-guard.ts was only reached through the servers).
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { browserGuard } from "../src/browser-guard.js";

/** The headers of a request, as node:http parses them (lower-case names). */
const request = (headers: { host?: string; origin?: string }) =>
  ({ headers }) as unknown as IncomingMessage;

describe("browserGuard", () => {
  const guard = browserGuard({ anyHost: false });

  it.each([
    "localhost",
    "localhost:8080",
    "LOCALHOST:1",
    "localhost.:1",
    "app.localhost:8080",
    "127.0.0.1",
    "127.0.0.1:8091",
    "127.255.0.9:80",
    "[::1]:8091",
    "[::1]",
    "[0:0:0:0:0:0:0:1]:80",
  ])("accepts the loopback Host %j", (host) => {
    expect(guard(request({ host }))).toBeUndefined();
  });

  it.each([
    "example.com",
    "example.com:8091",
    "localhost.example.com:80",
    "mylocalhost:80",
    "128.0.0.1:80",
    "10.0.0.127:80",
    "[::2]:80",
    "[fe80::1]",
    "::1",
    "",
  ])("refuses the Host %j with a 403 naming it", (host) => {
    const error = guard(request({ host }));
    expect(error?.status).toBe(403);
    expect(error?.message).toBe(
      `Host ${JSON.stringify(host)} is not a loopback name or address: the runtime answers only requests addressed to localhost or 127.0.0.1 (DNS-rebinding protection). Start it with --host <address> to serve other names`,
    );
  });

  it("refuses a request without a Host header", () => {
    expect(guard(request({}))?.message).toMatch(/^Host "" is not a loopback name/);
  });

  it("gives the same answer for a Host seen before (the answers are remembered)", () => {
    const fresh = browserGuard({ anyHost: false });
    for (let i = 0; i < 3; i++) {
      expect(fresh(request({ host: "localhost:9" }))).toBeUndefined();
      expect(fresh(request({ host: "evil.test:9" }))?.status).toBe(403);
    }
    // more distinct Host headers than are remembered: still the right answer for each
    for (let port = 0; port < 1100; port++) {
      expect(fresh(request({ host: `127.0.0.1:${port}` }))).toBeUndefined();
    }
    expect(fresh(request({ host: "evil.test:9" }))?.status).toBe(403);
  });

  it("with anyHost, accepts any Host", () => {
    const open = browserGuard({ anyHost: true });
    expect(open(request({ host: "example.com:8091" }))).toBeUndefined();
    expect(
      open(request({ host: "example.com:8091", origin: "http://example.com:8091" })),
    ).toBeUndefined();
    expect(open(request({ host: "example.com:8091", origin: "http://other.com" }))?.status).toBe(
      403,
    );
  });

  it.each([
    ["http://localhost:8091", "localhost:8091"],
    ["https://localhost:8091", "localhost:8091"],
    ["http://127.0.0.1:8091", "127.0.0.1:8091"],
  ])("accepts the runtime's own Origin %j", (origin, host) => {
    expect(guard(request({ host, origin }))).toBeUndefined();
  });

  it.each([
    ["http://evil.test", "localhost:8091"],
    ["http://localhost:8092", "localhost:8091"],
    ["http://localhost", "localhost:8091"],
    ["ftp://localhost:8091", "localhost:8091"],
    ["null", "localhost:8091"],
    ["", "localhost:8091"],
  ])("refuses the Origin %j with a 403 naming it and the runtime's own", (origin, host) => {
    const error = guard(request({ host, origin }));
    expect(error?.status).toBe(403);
    expect(error?.message).toBe(
      `Origin ${JSON.stringify(origin)} is not this runtime's own (http://${host}): requests from web pages of other sites are refused. Send messages with curl or a server-side client`,
    );
  });
});
