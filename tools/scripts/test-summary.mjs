#!/usr/bin/env node
// Reads the output of `npm test` on stdin, passes it through, and ends with one line that adds up
// every vitest run: "vitest: N passed, N failed, N skipped".
import { createInterface } from "node:readline";

const totals = { passed: 0, failed: 0, skipped: 0 };
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes.
const ansi = /\u001b\[[0-9;]*m/g;

for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(`${line}\n`);
  const plain = line.replace(ansi, "");
  if (!/^\s*Tests\s/.test(plain)) continue;
  for (const [, count, kind] of plain.matchAll(/(\d+) (passed|failed|skipped)/g)) {
    totals[kind] += Number(count);
  }
}
console.log(`vitest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
