// `npm run generate` entry point: schemas/ -> TypeScript, Go, Java and Python registry types.
//   (no flag)                 write the generated files
//   --check                   generate in memory; fail naming stale files (CI runs it)
//   --check-compat            fail on schema changes that break a schema's compatibility mode,
//     [--against <git-ref>]   compared with <git-ref> (default: the merge base with main)
// Runs bundled by bin/statefun-typegen.mjs.

import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkCompat } from "./compat/check-compat.js";
import { findStale, generate, WORKSPACE_ROOT, writeGenerated } from "./generate.js";
import { loadSchemas } from "./load-registry.js";
import { RegistryConfigError, readRegistryConfig } from "./registry-config.js";
import { SchemaErrors } from "./schema-error.js";

const USAGE = "usage: statefun-typegen [--check] [--check-compat [--against <git-ref>]]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      "check-compat": { type: "boolean", default: false },
      against: { type: "string" },
    },
  });
  if (values.against !== undefined && !values["check-compat"]) {
    console.error(`typegen: --against needs --check-compat\n${USAGE}`);
    return 2;
  }
  const config = readRegistryConfig(WORKSPACE_ROOT);
  let failed = false;
  if (values.check || !values["check-compat"]) {
    const result = await generate({ config });
    if (values.check) {
      const stale = findStale(result);
      if (stale.length > 0) {
        console.error(
          `typegen: ${stale.length} generated file(s) are stale:\n${stale.map((p) => `  ${p}`).join("\n")}\n` +
            "run `npm run generate` and commit the result (generated files are never edited by hand)",
        );
        failed = true;
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
  } else {
    loadSchemas(join(WORKSPACE_ROOT, config.schemas), WORKSPACE_ROOT); // the rules first
  }
  if (values["check-compat"]) {
    const report = checkCompat({
      root: WORKSPACE_ROOT,
      schemas: config.schemas,
      retired: config.retired,
      ...(values.against === undefined ? {} : { against: values.against }),
    });
    for (const note of report.notes) console.log(`typegen: note: ${note}`);
    if (!report.checked) {
      console.log(`typegen: compatibility not checked: ${report.reason}`);
      if (values.against !== undefined) failed = true; // an explicit ref that does not exist is an error
    } else {
      for (const v of report.ignored) console.log(`typegen: ${v.message}`);
      if (report.violations.length > 0) {
        console.error(
          `typegen: ${report.violations.length} incompatible schema change(s) against ${report.against}:\n${report.violations.map((v) => `  ${v.message}`).join("\n")}\n` +
            'make each change compatible as said, set the schema\'s "x-statefun-compatibility", or skip a rule with "x-statefun-compat-ignore": {"<RULE_ID>": "<reason>"}',
        );
        failed = true;
      } else {
        console.log(
          `typegen: schemas are compatible with ${report.against} (${report.compared} compared${report.ignored.length > 0 ? `, ${report.ignored.length} change(s) ignored with a reason` : ""})`,
        );
      }
    }
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof SchemaErrors || error instanceof RegistryConfigError) {
    console.error(`typegen: ${error.message}`);
    process.exitCode = 1;
  } else if (
    error instanceof TypeError &&
    "code" in error &&
    String(error.code).startsWith("ERR_PARSE_ARGS")
  ) {
    console.error(`typegen: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else throw error;
}
