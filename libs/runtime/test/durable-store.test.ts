// The durable store's facade over a real SQLite file: opening (directories made, reset, a file
// that is not a database or of a newer schema), the connection settings, the size cap, transactions that span rooms
// (all or nothing, a refused reply rolled back alone, an I/O failure failing the whole group),
// and which SQLite errors count as the file failing.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AddressKey,
  DurableStore,
  isSqliteIoError,
  type ReplyEffects,
} from "../src/durable-store.js";
import { SCHEMA_VERSION } from "../src/store/schema.js";
import { descriptorsOn, replyEffects, storeFixture, value } from "./store-fixture.js";

const a: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const b: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const none = { mode: "none" as const, ttlMs: 0 };

function reply(self: AddressKey, over: Partial<ReplyEffects> = {}): ReplyEffects {
  return replyEffects(self, { registered: new Map([["n", none]]), now: 1, ...over });
}
const setN = (fill: number, size = 1) => [
  { kind: "set" as const, name: "n", value: new Uint8Array(size).fill(fill) },
];
const tokenAdd = (token: string) =>
  [{ kind: "add", dueAt: 100, token, target: a, argument: value(0) }] as const;

describe("DurableStore", () => {
  const { open, tempDir } = storeFixture();

  it("creates missing directories, keeps the file across opens, and deletes it on reset", () => {
    const file = join(tempDir(), "deep", "er", "state.db");
    const first = open(file);
    first.enqueue(a, undefined, value(1), 1);
    first.close();
    expect(first.database().open).toBe(false);
    first.close(); // a second close does nothing
    expect(existsSync(file)).toBe(true);
    const second = open(file);
    expect(second.queueLength()).toBe(1);
    second.close();
    writeFileSync(`${file}-journal`, "stale");
    const third = open(file, { reset: true });
    expect(third.queueLength()).toBe(0);
    expect(existsSync(`${file}-journal`)).toBe(false);
    expect(third.file).toBe(file);
  });

  it("sets WAL, the busy timeout, the schema version, and synchronous per durability", () => {
    const dir = tempDir();
    const pragma = (store: DurableStore, name: string) =>
      store.database().pragma(name, { simple: true });
    const normal = open(join(dir, "normal.db"));
    expect(pragma(normal, "journal_mode")).toBe("wal");
    expect(pragma(normal, "synchronous")).toBe(1);
    expect(pragma(normal, "busy_timeout")).toBe(100);
    expect(pragma(normal, "user_version")).toBe(SCHEMA_VERSION);
    const full = open(join(dir, "full.db"), { durability: "power-loss" });
    expect(pragma(full, "synchronous")).toBe(2);
    expect(
      pragma(open(join(dir, "crash.db"), { durability: "process-crash" }), "synchronous"),
    ).toBe(1);
  });

  it("caps the file at maxBytes in pages, and answers SQLITE_FULL beyond, applying nothing", () => {
    const store = open(":memory:", { maxBytes: 200 * 1024 });
    const pageSize = store.database().pragma("page_size", { simple: true }) as number;
    expect(store.database().pragma("max_page_count", { simple: true })).toBe(
      Math.ceil((200 * 1024) / pageSize),
    );
    store.enqueue(a, undefined, value(1, 50 * 1024), 1);
    let error: unknown;
    try {
      store.enqueueAll(
        [
          { target: a, caller: undefined, argument: value(2) },
          { target: b, caller: undefined, argument: value(3, 300 * 1024) },
        ],
        2,
      );
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).toBe("SQLITE_FULL");
    expect(isSqliteIoError(error)).toBe(true);
    expect(store.queueLength()).toBe(1);
    expect(store.queuedMessages().map((m) => m.seq)).toEqual([1]);
    expect(store.database().prepare("SELECT COUNT(*) AS n FROM queue").get()).toEqual({ n: 1 });
    // Still usable afterwards.
    expect(store.enqueue(b, undefined, value(4), 3)).toBe(2);
    expect(store.queueLength(b)).toBe(1);
  });

  it("refuses a file of a newer schema, which it would misread, naming what to do", () => {
    const file = join(tempDir(), "state.db");
    open(file)
      .database()
      .pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => new DurableStore(file)).toThrow(
      `it was written by a newer @statefun-ts/runtime (schema ${SCHEMA_VERSION + 1}; this one reads up to ${SCHEMA_VERSION}): run that version, or start over with --reset (deletes all state)`,
    );
  });

  it("refuses to open a file that is not a database", () => {
    const file = join(tempDir(), "state.db");
    writeFileSync(file, "this is not a SQLite database, not at all; ".repeat(200));
    expect(() => new DurableStore(file)).toThrow(/not a database/);
    // The connection it opened is closed again: no descriptor of this process holds the file.
    expect(descriptorsOn(file)).toBe(0);
  });

  it("drops the state writes of a reply refused as a whole from its mirror", () => {
    const store = open(":memory:");
    store.applyReply(reply(a, { stateChanges: setN(1), delayed: [...tokenAdd("k")] }));
    expect([...(store.readStates(a, ["n"], 1).get("n") ?? [])]).toEqual([1]);
    expect(() =>
      store.applyReply(reply(a, { stateChanges: setN(2), delayed: [...tokenAdd("k")] })),
    ).toThrow(/already pending/);
    // The next committed write must not carry the refused one into the mirror.
    store.applyReply(reply(b, { stateChanges: setN(3) }));
    expect([...(store.readStates(a, ["n"], 1).get("n") ?? [])]).toEqual([1]);
    expect([...(store.peekState(a, "n", 1) ?? [])]).toEqual([1]);
  });

  it("applies a reply's state, messages, delays, egress and consumption in one transaction", () => {
    const store = open(":memory:");
    const seq = store.enqueue(a, undefined, value(1), 1);
    const egress = [
      {
        topic: "t",
        kind: "kafka" as const,
        egressId: "t.io/t",
        key: null,
        value: new Uint8Array([7]),
        typename: "t/x",
      },
    ];
    expect(
      store.applyReply(
        reply(a, {
          consumedSeqs: [seq],
          stateChanges: setN(5),
          outgoing: [{ target: b, argument: value(2) }],
          delayed: [...tokenAdd("k")],
          egress,
          now: 10,
        }),
      ),
    ).toEqual([{ ...egress[0], offset: 0, timestamp: 10 }]);
    expect(store.queuedMessages()).toEqual([
      { seq: seq + 1, target: b, caller: a, argument: value(2) },
    ]);
    expect([...(store.peekState(a, "n", 10) ?? [])]).toEqual([5]);
    expect(store.delayedCount()).toBe(1);
  });

  it("rolls a refused reply of a group back alone, in the table and in the mirrors", () => {
    const store = open(":memory:");
    const first = store.enqueue(a, undefined, value(1), 1);
    store.applyReply(reply(a, { delayed: [...tokenAdd("k")] }));
    expect(store.readStates(a, ["n"], 1).size).toBe(0); // a mirrored, empty
    const results = store.applyReplies([
      reply(b, { stateChanges: setN(2), outgoing: [{ target: b, argument: value(3) }] }),
      // Refused (token k is pending): its consumption, state and message are rolled back.
      reply(a, {
        consumedSeqs: [first],
        stateChanges: setN(4),
        outgoing: [{ target: a, argument: value(5) }],
        delayed: [...tokenAdd("k")],
      }),
      reply(b, { stateChanges: setN(6) }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect((results[1] as { error: Error }).error.name).toBe("DuplicateTokenError");
    expect(store.queuedMessages().map((m) => [m.seq, m.target.id, m.argument.value[0]])).toEqual([
      [first, "a", 1],
      [first + 1, "b", 3],
    ]);
    expect(store.readStates(a, ["n"], 1).size).toBe(0);
    expect([...(store.readStates(b, ["n"], 1).get("n") ?? [])]).toEqual([6]);
    // Sequence numbers of the rolled-back message are not seen in the mirror either.
    expect(store.queueLength(a)).toBe(1);
    expect(store.takeBatch(a, 0).map((m) => m.seq)).toEqual([first]);
  });

  it("fails the whole group when one reply fails to write (SQLITE_FULL), applying nothing", () => {
    const store = open(":memory:", { maxBytes: 200 * 1024 });
    const seq = store.enqueue(a, undefined, value(1), 1);
    store.readStates(b, ["n"], 1);
    expect(() =>
      store.applyReplies([
        reply(b, { stateChanges: setN(2), outgoing: [{ target: a, argument: value(3) }] }),
        reply(a, { consumedSeqs: [seq], stateChanges: setN(4, 300 * 1024) }),
      ]),
    ).toThrow(/full/i);
    expect(store.queuedMessages().map((m) => m.seq)).toEqual([seq]);
    expect(store.readStates(b, ["n"], 1).size).toBe(0);
    expect(store.peekState(b, "n", 1)).toBeUndefined();
    expect(() =>
      store.commitTurn(
        [
          { kind: "enqueue", target: b, caller: undefined, argument: value(5) },
          { kind: "reply", effects: reply(a, { stateChanges: setN(4, 300 * 1024) }) },
        ],
        2,
      ),
    ).toThrow(/full/i);
    expect(store.queueLength()).toBe(1);
  });

  it("counts busy, locked, full, read-only, I/O and corruption codes as the file failing", () => {
    for (const code of [
      "SQLITE_BUSY",
      "SQLITE_BUSY_SNAPSHOT",
      "SQLITE_LOCKED",
      "SQLITE_FULL",
      "SQLITE_READONLY",
      "SQLITE_READONLY_DBMOVED",
      "SQLITE_IOERR_WRITE",
      "SQLITE_CANTOPEN",
      "SQLITE_PROTOCOL",
      "SQLITE_NOMEM",
      "SQLITE_CORRUPT",
      "SQLITE_NOTADB",
    ]) {
      expect([code, isSqliteIoError({ code })]).toEqual([code, true]);
    }
    for (const error of [
      { code: "SQLITE_CONSTRAINT_UNIQUE" },
      { code: "SQLITE_ERROR" },
      { code: "XSQLITE_BUSY" },
      { code: 5 },
      new Error("SQLITE_BUSY"),
      null,
      undefined,
      "SQLITE_BUSY",
    ]) {
      expect([error, isSqliteIoError(error)]).toEqual([error, false]);
    }
  });
});
