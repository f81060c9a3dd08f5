// `npm run check-languages -w @statefun-ts/typegen [go] [java] [python]`: runs check-languages.ts
// and prints one line per language, then every failing example.
import { type CheckedLanguage, checkLanguages } from "./check-languages.js";

const LANGUAGES: readonly CheckedLanguage[] = ["go", "java", "python"];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(LANGUAGES as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(
    `check-languages: unknown language(s) ${unknown.join(", ")}; choose from ${LANGUAGES.join(", ")}`,
  );
  process.exitCode = 2;
} else {
  let failed = false;
  for (const r of checkLanguages(wanted.length > 0 ? (wanted as CheckedLanguage[]) : undefined)) {
    console.log(
      `${r.language}: ${r.cases - r.failures.length}/${r.cases} example round trips pass (${r.ms} ms)`,
    );
    for (const f of r.failures) console.log(`  FAIL ${f}`);
    failed ||= r.failures.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}
