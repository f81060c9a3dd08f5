// Loads an optional peer dependency (prom-client, @opentelemetry/api) only when an option asks for
// it, synchronously and without a static import, so the SDK runs where neither is installed.

/** The module `name`, resolved from the SDK's location; a clear error when it is not installed. */
export function requireOptional<T>(name: string, option: string): T {
  const nodeModule = globalThis.process?.getBuiltinModule?.("node:module");
  if (nodeModule === undefined) {
    throw new Error(
      `handler option ${option} needs ${name}, which is loaded through node:module (Node.js 20.16+); this runtime has none`,
    );
  }
  try {
    return nodeModule.createRequire(import.meta.url)(name) as T;
  } catch (error) {
    throw new Error(
      `handler option ${option} needs the package ${name}: install it next to @statefun-ts/sdk (npm install ${name}); ${(error as Error).message}`,
    );
  }
}
