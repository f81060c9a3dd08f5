// The state file's owner lock in one process (two connections compete as two processes would):
// a second owner is refused naming the first one's pid and host and changing nothing; the lock
// is free again once released; a lock file that cannot be opened is reported with its path.
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OwnerLock, StateFileLockedError } from "../src/store/owner-lock.js";
import { descriptorsOn, storeFixture } from "./store-fixture.js";

describe("OwnerLock", () => {
  const { tempDir } = storeFixture();
  const locks: OwnerLock[] = [];
  afterEach(() => {
    for (const lock of locks.splice(0)) lock.release();
  });
  const stateFile = () => join(tempDir(), "deeper", "state.db");
  function acquire(file: string): OwnerLock {
    const lock = OwnerLock.acquire(file);
    locks.push(lock);
    return lock;
  }

  it("refuses a second owner with the first one's pid, host and start time", () => {
    const file = stateFile();
    const before = Date.now();
    const first = acquire(file);
    expect(first.file).toBe(`${file}.lock`);
    let error: unknown;
    try {
      acquire(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StateFileLockedError);
    const refused = error as StateFileLockedError;
    expect(refused.name).toBe("StateFileLockedError");
    expect(refused.pid).toBe(process.pid);
    const match = refused.message.match(
      /^state file (.+) is in use by process (\d+) on (.+) \(running since (.+)\): one runtime per state file\. Stop that runtime first, or use another --state-file\. Nothing was changed or deleted\.$/,
    );
    expect(match?.slice(1, 4)).toEqual([file, String(process.pid), hostname()]);
    const since = Date.parse(match?.[4] ?? "");
    expect(since).toBeGreaterThanOrEqual(before - 1);
    expect(since).toBeLessThanOrEqual(Date.now());
  });

  it("is free again once released; releasing twice does nothing", () => {
    const file = stateFile();
    const first = acquire(file);
    expect(descriptorsOn(first.file)).toBe(1);
    first.release();
    expect(descriptorsOn(first.file)).toBe(0);
    first.release();
    const second = acquire(file);
    expect(() => OwnerLock.acquire(file)).toThrow(StateFileLockedError);
    second.release();
    expect(() => acquire(file)).not.toThrow();
  });

  it("names the lock file and the state file when the lock file cannot be opened", () => {
    const file = stateFile();
    mkdirSync(`${file}.lock`, { recursive: true });
    expect(() => OwnerLock.acquire(file)).toThrow(
      new RegExp(
        `^cannot open the lock file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.lock of state file .*state\\.db: `,
      ),
    );
  });
});
