// The inspector's HTTP server: the page's static assets (built by @statefun-ts/inspector) and
// the JSON API, behind the browser-safety rules.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { IngressError } from "../errors.js";
import { sendError } from "../http-util.js";
import { InspectorApi, type InspectorApiContext } from "./inspector-api.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

// The page loads only its own files and talks only to this server.
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** The folder of the built page (`dist` of @statefun-ts/inspector), or `undefined` when not built. */
export function inspectorAssetsDir(): string | undefined {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve("@statefun-ts/inspector/package.json"));
  } catch {
    return undefined;
  }
  const dir = join(root, "dist");
  return existsSync(join(dir, "index.html")) ? dir : undefined;
}

/** Options of {@link createInspectorServer}. */
export interface InspectorServerOptions extends InspectorApiContext {
  /** The runtime's browser guard (loopback Host, own Origin), as on the ingress and egress. */
  readonly guard: (request: IncomingMessage) => IngressError | undefined;
  /** Where the built page is (default: {@link inspectorAssetsDir}). */
  readonly assetsDir?: string;
}

/** Creates the inspector's server: `/` the page, `/api/...` the JSON API. */
export function createInspectorServer(options: InspectorServerOptions): Server {
  const api = new InspectorApi(options);
  const assets = options.assetsDir ?? inspectorAssetsDir();
  const cache = new Map<string, Buffer>();
  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const isApi = url.pathname.startsWith("/api/");
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const refused = options.guard(request);
    if (refused !== undefined) {
      sendError(response, refused.status, refused.message);
      return;
    }
    // The page may be opened from a link anywhere; its API only from the page itself.
    const site = request.headers["sec-fetch-site"];
    if (isApi && (site === "cross-site" || site === "same-site")) {
      sendError(
        response,
        403,
        `a ${site} request may not use the inspector's API (Sec-Fetch-Site: ${site})`,
      );
      return;
    }
    if (isApi) {
      void api.handle(request, response, url);
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("Allow", "GET, HEAD");
      sendError(
        response,
        405,
        `${request.method} ${url.pathname}: the page's files are read with GET`,
      );
      return;
    }
    const name = url.pathname === "/" ? "index.html" : url.pathname.slice(1);
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf("."))];
    if (!/^[a-z0-9-]+\.[a-z]+$/.test(name) || type === undefined) {
      sendError(response, 404, `no file ${url.pathname}; the inspector is at /`);
      return;
    }
    if (assets === undefined) {
      response.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(
        "The inspector page is not built. Build it with `npx nx run @statefun-ts/inspector:build` (npm start and npm test do this); the API works meanwhile under /api/.\n",
      );
      return;
    }
    let body = cache.get(name);
    if (body === undefined) {
      const path = join(assets, name);
      if (!existsSync(path)) {
        sendError(response, 404, `no file ${url.pathname}; the inspector is at /`);
        return;
      }
      body = readFileSync(path);
      cache.set(name, body);
    }
    response.writeHead(200, {
      "Content-Type": type,
      "Content-Length": body.length,
      "Cache-Control": "no-cache",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  });
}
