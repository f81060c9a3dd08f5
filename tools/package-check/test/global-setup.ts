// Packs the published libraries once for the suite, as they would be published
// (tools/scripts/pack-libs.mjs), into a temporary directory removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { PUBLISHED_LIBS, packLib } from "../../scripts/pack-libs.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** Per published lib directory name (sdk, registry, inspector, runtime, testing): its tarball. */
    tarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject): () => void {
  const out = mkdtempSync(join(tmpdir(), "statefun-ts-pack-"));
  const started = Date.now();
  const tarballs: Record<string, string> = {};
  for (const lib of PUBLISHED_LIBS) tarballs[lib] = packLib(lib, out);
  console.log(`package-check: packed ${PUBLISHED_LIBS.join(", ")} in ${Date.now() - started} ms`);
  project.provide("tarballs", tarballs);
  return () => rmSync(out, { recursive: true, force: true });
}
