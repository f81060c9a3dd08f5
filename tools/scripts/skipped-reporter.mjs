// A vitest reporter that lists every skipped test with its full title, after the run: the suites
// that skip cases for a missing toolchain (apps/compat, tools/typegen, tools/flink-runtime) put the
// reason in the title, so the output says what was skipped and why. Used next to "default".
import { relative } from "node:path";

export default class SkippedReporter {
  onTestRunEnd(testModules) {
    for (const module of testModules) {
      for (const test of module.children.allTests("skipped")) {
        process.stdout.write(
          `SKIPPED ${relative(process.cwd(), module.moduleId)} > ${test.fullName}\n`,
        );
      }
    }
  }
}
