import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { registry } from "@statefun-ts/registry-examples";
import {
  loadJsonSchemas,
  loadModuleYaml,
  type ModuleConfig,
  type Runtime,
  type RuntimeOptions,
  startRuntime,
  validatorsFromTypes,
} from "@statefun-ts/runtime";
import { type GreeterOptions, greeterApp } from "./greeter-app.js";

/** The greeter's module.yaml, shared with Flink deployments. */
export const MODULE_YAML = fileURLToPath(new URL("../module.yaml", import.meta.url));

/** The registry's JSON Schemas (the inspector's send form validates against them). */
export const SCHEMAS_DIR = fileURLToPath(new URL("../../../schemas", import.meta.url));

/** Options of {@link startGreeter}. */
export interface StartGreeterOptions extends GreeterOptions {
  /** Port of the function service (default 8000, the port in module.yaml; 0 picks a free one). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Options of the local runtime (ports, state file, reset, log). */
  readonly runtime?: Omit<RuntimeOptions, "module" | "modulePath" | "validators">;
}

/** The greeter service and the local runtime, running. */
export interface StartedGreeter {
  /** `http://host:port/statefun` of the function service. */
  readonly functionsUrl: string;
  readonly runtime: Runtime;
  /** Stops the runtime, then the function service. */
  close(): Promise<void>;
}

/** Starts the greeter service and the local runtime that calls it (module.yaml). */
export async function startGreeter(options: StartGreeterOptions = {}): Promise<StartedGreeter> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = greeterApp(options).listen(options.port ?? 8000, host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const functionsUrl = `http://${host}:${port}/statefun`;
  try {
    const runtime = await startRuntime({
      ...options.runtime,
      module: pointAt(loadModuleYaml(MODULE_YAML), host, port),
      validators: validatorsFromTypes(registry.values()),
      schemas: options.runtime?.schemas ?? loadJsonSchemas(SCHEMAS_DIR),
    });
    return {
      functionsUrl,
      runtime,
      async close() {
        await runtime.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    server.close();
    throw error;
  }
}

/** module.yaml names port 8000; point its endpoints at where the service really listens. */
function pointAt(config: ModuleConfig, host: string, port: number): ModuleConfig {
  return {
    ...config,
    endpoints: config.endpoints.map((endpoint) => ({
      ...endpoint,
      urlPathTemplate: endpoint.urlPathTemplate.replace(/^(https?:\/\/)[^/]+/, `$1${host}:${port}`),
    })),
  };
}
