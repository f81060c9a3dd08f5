import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { COMPAT_ROOT, type FixtureLang, runFixtureVectors } from "../fixtures.js";
import { normalizeReply } from "./normalize.js";
import { type GoldenRequest, goldenRequests } from "./requests.js";

export const VECTORS_DIR = join(COMPAT_ROOT, "vectors");
export const REQUESTS_DIR = join(VECTORS_DIR, "requests");

/** A fixture's reply to one request: the FromFunction bytes, or `undefined` when it failed. */
export type GoldenReplies = Map<string, Uint8Array | undefined>;

async function clearDir(dir: string, suffixes: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (suffixes.some((s) => name.endsWith(s))) await rm(join(dir, name));
  }
}

/** Writes the golden requests to `dir` (default vectors/requests), removing stale ones. */
export async function writeRequests(
  dir = REQUESTS_DIR,
  requests = goldenRequests(),
): Promise<void> {
  await clearDir(dir, [".bin"]);
  for (const r of requests) await writeFile(join(dir, `${r.name}.bin`), r.bytes);
}

/** Reads the committed golden requests. */
export async function readRequests(dir = REQUESTS_DIR): Promise<GoldenRequest[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".bin")).sort();
  return Promise.all(
    names.map(async (n) => ({
      name: n.slice(0, -4),
      bytes: new Uint8Array(await readFile(join(dir, n))),
    })),
  );
}

/** Reads a fixture's replies (`<name>.bin`, or `<name>.error` for a failed request). */
export async function readReplies(dir: string): Promise<GoldenReplies> {
  const replies: GoldenReplies = new Map();
  for (const n of (await readdir(dir)).sort()) {
    if (n.endsWith(".bin"))
      replies.set(n.slice(0, -4), new Uint8Array(await readFile(join(dir, n))));
    else if (n.endsWith(".error")) replies.set(n.slice(0, -6), undefined);
  }
  return replies;
}

/**
 * Runs the committed requests through a fixture's own SDK handler into vectors/<lang>/. A committed
 * reply that is equivalent to the new one is kept as it is (Go orders mutations randomly, so its
 * bytes change on every run): only real changes show up in a diff.
 */
export async function writeReplies(
  lang: FixtureLang,
  outDir = join(VECTORS_DIR, lang),
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const old = await readReplies(outDir);
  const fresh = await freshReplies(lang);
  await clearDir(outDir, [".bin", ".error"]);
  for (const [name, bytes] of fresh) {
    const previous = old.get(name);
    const same =
      old.has(name) &&
      (previous === undefined) === (bytes === undefined) &&
      isDeepStrictEqual(normalizeReply(previous), normalizeReply(bytes));
    const keep = same ? previous : bytes;
    if (keep === undefined) {
      await writeFile(join(outDir, `${name}.error`), "the SDK failed on this request\n");
    } else {
      await writeFile(join(outDir, `${name}.bin`), keep);
    }
  }
}

/** Runs the committed requests through a fixture into a temporary folder and reads the replies. */
export async function freshReplies(lang: FixtureLang): Promise<GoldenReplies> {
  const dir = await mkdtemp(join(tmpdir(), `compat-vectors-${lang}-`));
  try {
    await runFixtureVectors(lang, REQUESTS_DIR, dir);
    return await readReplies(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
