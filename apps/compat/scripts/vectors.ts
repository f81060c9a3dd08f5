// Regenerates the golden vectors: vectors/requests/*.bin from src/vectors/requests.ts, then each
// fixture's replies (its own official SDK handler, in process) into vectors/<lang>/.
// Usage: npm run vectors [-- go java python]
import { progress } from "../../../tools/scripts/progress.mjs";
import { buildFixture, FIXTURE_LANGS, type FixtureLang } from "../src/fixtures.js";
import { writeReplies, writeRequests } from "../src/vectors/golden.js";

const args = process.argv.slice(2);
const langs = (args.length > 0 ? args : FIXTURE_LANGS) as FixtureLang[];
for (const lang of langs) {
  if (!FIXTURE_LANGS.includes(lang)) {
    console.error(`vectors: unknown fixture ${lang}; expected one of ${FIXTURE_LANGS.join(", ")}`);
    process.exit(2);
  }
}
await writeRequests();
console.log("vectors: wrote vectors/requests");
let skipped = 0;
for (const lang of langs) {
  const built = await progress(`vectors: build the ${lang} fixture`, () => buildFixture(lang));
  if (!built.ready) {
    console.warn(`vectors: SKIPPED ${lang}: ${built.reason}`);
    skipped++;
    continue;
  }
  await writeReplies(lang);
  console.log(`vectors: wrote vectors/${lang}`);
}
process.exit(skipped > 0 ? 1 : 0);
