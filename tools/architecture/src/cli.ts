// `npm run architecture`: prints every violation and the facts of the import graph; exits 1 on a
// violation. Holds no rule.

import { checkArchitecture, formatReport } from "./check-architecture.js";

const root = process.argv[2] ?? process.cwd();
const report = checkArchitecture(root);
console.log(formatReport(report));
process.exitCode = report.violations.length > 0 ? 1 : 0;
