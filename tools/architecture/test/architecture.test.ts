// The architecture of this repository: no import cycle, no upward import inside a layered package
// (libs/sdk/layers.json), no library importing an app or another package's @internal member.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkArchitecture, formatReport } from "../src/check-architecture.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));

describe("the repository's architecture", () => {
  it("breaks no rule", () => {
    const report = checkArchitecture(root);
    // The report names each violation and how to fix it.
    expect(report.violations, formatReport(report)).toEqual([]);
    const sdk = report.towers.find((t) => t.package === "@statefun-ts/sdk");
    expect(sdk?.upwardImports).toBe(0);
    expect(report.files).toBeGreaterThan(100);
  });
});
