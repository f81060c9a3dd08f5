// The SDK's vitest config for StrykerJS (tools/scripts/mutation.mjs): every test except two HTTP
// adapter files that reach no mutated file's logic the other tests miss: tls-unix-shutdown
// generates certificates with openssl per run, and node-limits holds a memory test (2,000
// timed-out calls) that fails under the load of a mutation run.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [
      "src/http/tls-unix-shutdown.test.ts",
      "src/http/node-limits.test.ts",
      "**/node_modules/**",
    ],
  },
});
