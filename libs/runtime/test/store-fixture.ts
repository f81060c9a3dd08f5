// What the store's unit tests share: real SQLite stores (in memory or in a temporary directory)
// closed and removed after each test, the descriptors open on a file, stored values, and reply
// effects with empty defaults.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  type AddressKey,
  DurableStore,
  type ReplyEffects,
  type StoredValue,
} from "../src/durable-store.js";

/**
 * Call inside a `describe`: stores opened (or tracked) and directories made by a test are closed
 * and removed after it.
 */
export function storeFixture() {
  const stores: DurableStore[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  /** Closes `store` after the test. */
  const track = <S extends DurableStore>(store: S): S => {
    stores.push(store);
    return store;
  };
  return {
    track,
    /** A store on `file` (in memory by default), closed after the test. */
    open: (file = ":memory:", options: ConstructorParameters<typeof DurableStore>[1] = {}) =>
      track(new DurableStore(file, options)),
    /** A new temporary directory, removed after the test. */
    tempDir: (): string => {
      const dir = mkdtempSync(join(tmpdir(), "statefun-store-test-"));
      dirs.push(dir);
      return dir;
    },
  };
}

/** How many descriptors of this process are open on `file` (Linux `/proc`). */
export function descriptorsOn(file: string): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

/** A value of `size` bytes, all `fill`, with the 6-character typename `t/text`. */
export const value = (fill: number, size = 1): StoredValue => ({
  typename: "t/text",
  hasValue: true,
  value: new Uint8Array(size).fill(fill),
});

/** The effects of a reply of `self` that does nothing but what `over` says. */
export function replyEffects(self: AddressKey, over: Partial<ReplyEffects> = {}): ReplyEffects {
  return {
    self,
    consumedSeqs: [],
    stateChanges: [],
    registered: new Map(),
    outgoing: [],
    delayed: [],
    egress: [],
    now: 0,
    ...over,
  };
}
