// The state room: function state per address and state name (table `state`), with TTL expiry.
import type Database from "better-sqlite3";
import type { AddressKey, StateChange, StateExpiry } from "./store-types.js";

/** A state value as stored, with its expiry time (ms since the epoch) if it has a TTL. */
interface CachedState {
  readonly value: Uint8Array;
  readonly expiresAt: number | null;
}

/** Addresses whose states the memory mirror holds at most (beyond: it starts over, empty). */
const MAX_CACHED_ADDRESSES = 100_000;

function keyOf(address: AddressKey): string {
  return `${address.namespace}\u0000${address.type}\u0000${address.id}`;
}

/**
 * Function state; callers wrap writes in the store's transactions. The table is the durable
 * truth; a mirror in memory of the addresses read recently serves reads without a query. Writes
 * reach the mirror only once their transaction committed ({@link commit}); a rolled-back
 * transaction or savepoint discards them ({@link rollback}), as in the queue room.
 */
export class StateRoom {
  private readonly expire: Database.Statement;
  private readonly rows: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly one: Database.Statement;
  private readonly anyTtl: Database.Statement;
  private readonly mirror = new Map<string, Map<string, CachedState>>();
  /** Changes to the mirror, applied when their transaction commits. */
  private pending: Array<() => void> = [];
  /**
   * Whether a row may have an expiry time: false until a value with a TTL is written (or the
   * file held one when opened); while false, the per-reply expiry DELETE is skipped.
   */
  private ttlRows: boolean;

  constructor(db: Database.Database) {
    this.expire = db.prepare(
      `DELETE FROM state WHERE namespace = ? AND type = ? AND id = ?
         AND expires_at IS NOT NULL AND expires_at <= ?`,
    );
    this.rows = db.prepare(
      `SELECT name, value, expires_at FROM state WHERE namespace = ? AND type = ? AND id = ?
         AND (expires_at IS NULL OR expires_at > ?)`,
    );
    this.upsert = db.prepare(
      `INSERT INTO state (namespace, type, id, name, value, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (namespace, type, id, name) DO UPDATE SET value = excluded.value,
       expires_at = excluded.expires_at`,
    );
    this.remove = db.prepare(
      "DELETE FROM state WHERE namespace = ? AND type = ? AND id = ? AND name = ?",
    );
    this.touch = db.prepare(
      "UPDATE state SET expires_at = ? WHERE namespace = ? AND type = ? AND id = ? AND name = ?",
    );
    this.one = db.prepare(
      "SELECT value, expires_at FROM state WHERE namespace = ? AND type = ? AND id = ? AND name = ?",
    );
    this.anyTtl = db.prepare("SELECT 1 FROM state WHERE expires_at IS NOT NULL LIMIT 1");
    this.ttlRows = this.anyTtl.get() !== undefined;
  }

  /** A position in the uncommitted writes, to roll back to. */
  mark(): number {
    return this.pending.length;
  }

  /** Forgets the uncommitted writes after `mark` (their transaction or savepoint rolled back). */
  rollback(mark = 0): void {
    this.pending.length = Math.min(mark, this.pending.length);
  }

  /** Applies the committed writes to the mirror. */
  commit(): void {
    const changes = this.pending;
    if (changes.length === 0) return;
    this.pending = [];
    for (const change of changes) change();
  }

  /** Queues a change of the mirrored states of `key` (a no-op for an address not mirrored). */
  private later(key: string, change: (states: Map<string, CachedState>) => void): void {
    this.pending.push(() => {
      const states = this.mirror.get(key);
      if (states) change(states);
    });
  }

  /** The states of an address from the mirror, loaded from the table on a miss. */
  private statesOf(address: AddressKey): Map<string, CachedState> {
    const key = keyOf(address);
    let states = this.mirror.get(key);
    if (states) return states;
    states = new Map();
    const rows = this.rows.all(address.namespace, address.type, address.id, -1) as Array<{
      name: string;
      value: Buffer;
      expires_at: number | null;
    }>;
    for (const row of rows) {
      states.set(row.name, { value: new Uint8Array(row.value), expiresAt: row.expires_at });
    }
    if (this.mirror.size >= MAX_CACHED_ADDRESSES) this.mirror.clear();
    this.mirror.set(key, states);
    return states;
  }

  /** The named current values of an address (expired ones left out; a read, no write). */
  read(address: AddressKey, names: readonly string[], now: number): Map<string, Uint8Array> {
    const result = new Map<string, Uint8Array>();
    if (names.length === 0) return result;
    const states = this.statesOf(address);
    for (const name of names) {
      const state = states.get(name);
      if (state && (state.expiresAt === null || state.expiresAt > now)) {
        result.set(name, state.value);
      }
    }
    return result;
  }

  /** Applies state changes and the TTL bookkeeping of one reply. */
  apply(
    self: AddressKey,
    changes: readonly StateChange[],
    registered: ReadonlyMap<string, StateExpiry>,
    now: number,
  ): void {
    const expiresAt = (expiry: StateExpiry | undefined): number | null =>
      expiry && expiry.mode !== "none" ? now + expiry.ttlMs : null;
    const key = keyOf(self);
    // Expired values go in the same transaction as the reply (reads only skip them).
    if (this.ttlRows) {
      this.expire.run(self.namespace, self.type, self.id, now);
      this.later(key, (states) => {
        for (const [name, state] of states) {
          if (state.expiresAt !== null && state.expiresAt <= now) states.delete(name);
        }
      });
    }
    const changed = new Set<string>();
    for (const change of changes) {
      changed.add(change.name);
      if (change.kind === "set") {
        const expires = expiresAt(registered.get(change.name));
        if (expires !== null) this.ttlRows = true;
        // A copy: the mirror must not share memory with the reply's buffer.
        const value = Buffer.from(change.value);
        this.upsert.run(self.namespace, self.type, self.id, change.name, value, expires);
        const stored = { value: new Uint8Array(value), expiresAt: expires };
        this.later(key, (states) => states.set(change.name, stored));
      } else {
        this.remove.run(self.namespace, self.type, self.id, change.name);
        this.later(key, (states) => states.delete(change.name));
      }
    }
    for (const [name, expiry] of registered) {
      if (expiry.mode !== "after-invoke" || changed.has(name)) continue;
      this.ttlRows = true;
      const expires = now + expiry.ttlMs;
      this.touch.run(expires, self.namespace, self.type, self.id, name);
      this.later(key, (states) => {
        const state = states.get(name);
        if (state) states.set(name, { value: state.value, expiresAt: expires });
      });
    }
  }

  /** The stored value of one state; `undefined` when absent or expired. */
  peek(address: AddressKey, name: string, now: number): Uint8Array | undefined {
    const row = this.one.get(address.namespace, address.type, address.id, name) as
      | { value: Buffer; expires_at: number | null }
      | undefined;
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return new Uint8Array(row.value);
  }
}
