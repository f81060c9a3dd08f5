import type { ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FixtureLang, startFixture } from "./fixtures.js";
import type { Lang } from "./relay.js";
import { serveRelay } from "./serve.js";

/** A free loopback port (the fixtures take a port number, not 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The relay endpoints: the TS one in process, each given (built) fixture as a child process. */
export class Endpoints {
  readonly ports = new Map<Lang, number>();
  readonly #children: ChildProcess[] = [];
  #server: Server | undefined;

  /** Serves the TS relay and starts `fixtures` on free 127.0.0.1 ports; stops all on failure. */
  static async start(fixtures: readonly FixtureLang[]): Promise<Endpoints> {
    const endpoints = new Endpoints();
    try {
      endpoints.#server = await serveRelay(0);
      endpoints.ports.set("ts", (endpoints.#server.address() as AddressInfo).port);
      await Promise.all(
        fixtures.map(async (lang) => {
          const port = await freePort();
          endpoints.#children.push(await startFixture(lang, port));
          endpoints.ports.set(lang, port);
        }),
      );
    } catch (error) {
      await endpoints.stop();
      throw error;
    }
    return endpoints;
  }

  /** `http://127.0.0.1:<port>/statefun` of a running relay. */
  url(lang: Lang): string {
    const port = this.ports.get(lang);
    if (port === undefined) {
      throw new Error(`no ${lang} relay endpoint is running: start it with Endpoints.start`);
    }
    return `http://127.0.0.1:${port}/statefun`;
  }

  /** Stops the fixtures (SIGTERM, waits for their exit) and the TS relay. */
  async stop(): Promise<void> {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    }
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
