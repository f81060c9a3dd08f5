// The probe suite that toolchain-policy.test.ts runs in a child vitest (not part of `npm test`
// by itself: its file does not end in .test.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["probe.check.ts"],
    environment: "node",
    testTimeout: 60_000,
    // as apps/compat's own config
    reporters: ["default", "../../../../tools/scripts/skipped-reporter.mjs"],
  },
});
