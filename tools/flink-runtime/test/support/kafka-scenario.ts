// Shared pieces of the Kafka scenarios: the greeter's module.yaml pointed at the test's function
// service, keyed GreetRequest records for the `names` topic, and the exactly-once check of the
// greetings read back from `greetings`.
import { readFileSync } from "node:fs";
import type { TopicRecord } from "../../../kafka/kafka-topics.mjs";

const GREETER_MODULE = new URL("../../../../apps/greeter/module.yaml", import.meta.url);

/** The greeter's own module.yaml, with only `urlPathTemplate` pointed at `url`. */
export function greeterModuleYaml(url: string): string {
  const text = readFileSync(GREETER_MODULE, "utf8");
  const replaced = text.replace(/urlPathTemplate: \S+/, `urlPathTemplate: ${url}`);
  if (replaced === text) throw new Error(`${GREETER_MODULE.pathname} has no urlPathTemplate`);
  return replaced;
}

/** A `names` record: key = the greeter's id, value = a com.example/GreetRequest JSON. */
export function greetRequest(id: string, name = id): { key: string; value: string } {
  return { key: id, value: JSON.stringify({ name }) };
}

/** `perKey` requests for each of `keys` ids `<prefix>-<n>`, interleaved across the keys. */
export function load(prefix: string, keys: number, perKey: number) {
  const ids = Array.from({ length: keys }, (_, k) => `${prefix}-${k}`);
  const messages: Array<{ key: string; value: string }> = [];
  for (let i = 0; i < perKey; i++) for (const id of ids) messages.push(greetRequest(id));
  return { ids, messages };
}

/** Greeting texts per record key, in topic order. */
export function greetingsByKey(records: readonly TopicRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    const key = r.key ?? "";
    out.set(key, [...(out.get(key) ?? []), r.value?.toString("utf8") ?? ""]);
  }
  return out;
}

/**
 * Every id must have exactly the greetings 1..perKey, each once, in order: returns one line per
 * id that does not (missing and duplicated counts named), empty when exactly once holds.
 */
export function exactlyOnceViolations(
  records: readonly TopicRecord[],
  ids: readonly string[],
  perKey: number,
): string[] {
  const byKey = greetingsByKey(records);
  const wrong: string[] = [];
  for (const id of ids) {
    const got = byKey.get(id) ?? [];
    const counts = new Map<number, number>();
    for (const text of got) {
      const n = Number(/for the (\d+)th time!$/.exec(text)?.[1] ?? -1);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    const missing: number[] = [];
    for (let n = 1; n <= perKey; n++) if (!counts.has(n)) missing.push(n);
    const duplicated = [...counts].filter(([n, c]) => c > 1 || n < 1 || n > perKey);
    const first = duplicated[0]?.[0];
    const at = records
      .filter((r) => r.key === id && r.value?.toString("utf8").endsWith(`for the ${first}th time!`))
      .map((r) => `${r.partition}/${r.offset}`);
    const expected = Array.from(
      { length: perKey },
      (_, i) => `Hello ${id} for the ${i + 1}th time!`,
    );
    const inOrder = got.length === perKey && got.every((text, i) => text === expected[i]);
    if (missing.length > 0 || duplicated.length > 0 || !inOrder) {
      wrong.push(
        `${id}: ${got.length} greeting(s), missing ${JSON.stringify(missing.slice(0, 10))}, duplicated ${JSON.stringify(duplicated.slice(0, 10))}${first === undefined ? "" : ` (greeting ${first} at ${at.join(", ")})`}${inOrder ? "" : ", out of order"}`,
      );
    }
  }
  return wrong;
}

/** Records whose key starts with `<prefix>-`. */
export function withPrefix(records: readonly TopicRecord[], prefix: string): TopicRecord[] {
  return records.filter((r) => r.key?.startsWith(`${prefix}-`));
}

/** Each record once by topic, partition and offset (a consumer may read a record again). */
export function distinctOffsets(records: readonly TopicRecord[]): TopicRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const at = `${r.topic}/${r.partition}/${r.offset}`;
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  });
}
