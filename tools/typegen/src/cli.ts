// `npm run generate` entry point: schemas/ -> TypeScript, Go, Java and Python registry types.
// With --check it generates in memory and fails, naming the stale files, when the committed
// output differs (CI runs it). Runs bundled by bin/statefun-typegen.mjs.
import { findStale, generate, WORKSPACE_ROOT, writeGenerated } from "./generate.js";
import { RegistryConfigError, readRegistryConfig } from "./registry-config.js";
import { SchemaErrors } from "./schema-error.js";

const check = process.argv.includes("--check");
try {
  const result = await generate({ config: readRegistryConfig(WORKSPACE_ROOT) });
  if (check) {
    const stale = findStale(result);
    if (stale.length > 0) {
      console.error(
        `typegen: ${stale.length} generated file(s) are stale:\n${stale.map((p) => `  ${p}`).join("\n")}\n` +
          "run `npm run generate` and commit the result (generated files are never edited by hand)",
      );
      process.exitCode = 1;
    } else {
      console.log(
        `typegen: ${result.files.size} generated files are up to date (${result.models.length} schemas)`,
      );
    }
  } else {
    writeGenerated(result);
    console.log(
      `typegen: wrote ${result.files.size} files from ${result.models.length} schemas under ${WORKSPACE_ROOT}`,
    );
  }
} catch (error) {
  if (error instanceof SchemaErrors || error instanceof RegistryConfigError) {
    console.error(`typegen: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
