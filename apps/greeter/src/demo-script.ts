// The scripted demo behind `npm run demo`: on free ports with a fresh state file, three greetings
// for two users, then the greetings read back from the egress.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consoleLog, type RuntimeLog } from "@statefun-ts/runtime";
import { startGreeter } from "./start-greeter.js";

/** Runs the demo, printing with `print`; resolves true when the greetings are the expected ones. */
export async function runDemo(print: (line: string) => void = console.log): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), "statefun-greeter-demo-"));
  const greeter = await startGreeter({
    port: 0,
    runtime: { ingressPort: 0, egressPort: 0, stateFile: join(dir, "state.db"), log: quietLog() },
  });
  const { ingressUrl, egressUrl } = greeter.runtime;
  try {
    const script = ["Bob", "Alice", "Bob"];
    for (const name of script) {
      const res = await fetch(`${ingressUrl}/com.example.fns/greeter/${encodeURIComponent(name)}`, {
        method: "PUT",
        headers: { "Content-Type": "text/plain" },
        body: name,
      });
      print(`sent ${JSON.stringify(name)} -> ${res.status}`);
    }
    const expected = [
      "Bob: Hello Bob for the 1th time!",
      "Alice: Hello Alice for the 1th time!",
      "Bob: Hello Bob for the 2th time!",
    ];
    const received = await readGreetings(egressUrl, expected.length, 15_000);
    print("\ngreetings (Kafka egress com.example/greets, topic greetings):");
    for (const line of received) print(`  ${line}`);
    const sorted = (list: string[]) => [...list].sort();
    if (JSON.stringify(sorted(received)) === JSON.stringify(sorted(expected))) return true;
    print(`\nexpected:\n  ${expected.join("\n  ")}`);
    return false;
  } finally {
    await greeter.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readGreetings(egress: string, count: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const lines: string[] = [];
  while (lines.length < count && Date.now() < deadline) {
    const res = await fetch(`${egress}/greetings`);
    if (res.status === 404) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    // Playground style: the body is the record's value, the key travels in a header.
    const key = decodeURIComponent(res.headers.get("x-statefun-key") ?? "");
    lines.push(`${key}: ${await res.text()}`);
  }
  return lines;
}

/** The runtime's warnings and errors only: the demo prints its own story. */
function quietLog(): RuntimeLog {
  return (level, message) => {
    if (level !== "info") consoleLog(level, message);
  };
}
