// The state room: function state per address and state name (table `state`), with TTL expiry.
import type Database from "better-sqlite3";
import type { AddressKey, StateChange, StateExpiry } from "./store-types.js";

/** Function state; callers wrap writes in the store's transactions. */
export class StateRoom {
  private readonly expire: Database.Statement;
  private readonly rows: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly one: Database.Statement;

  constructor(db: Database.Database) {
    this.expire = db.prepare(
      `DELETE FROM state WHERE namespace = ? AND type = ? AND id = ?
         AND expires_at IS NOT NULL AND expires_at <= ?`,
    );
    this.rows = db.prepare(
      `SELECT name, value FROM state WHERE namespace = ? AND type = ? AND id = ?
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
  }

  /** The named current values of an address (expired ones left out; a read, no write). */
  read(address: AddressKey, names: readonly string[], now: number): Map<string, Uint8Array> {
    const result = new Map<string, Uint8Array>();
    if (names.length === 0) return result;
    const rows = this.rows.all(address.namespace, address.type, address.id, now) as Array<{
      name: string;
      value: Buffer;
    }>;
    for (const row of rows) {
      if (names.includes(row.name)) result.set(row.name, new Uint8Array(row.value));
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
    // Expired values go in the same transaction as the reply (reads only skip them).
    this.expire.run(self.namespace, self.type, self.id, now);
    const changed = new Set<string>();
    for (const change of changes) {
      changed.add(change.name);
      if (change.kind === "set") {
        this.upsert.run(
          self.namespace,
          self.type,
          self.id,
          change.name,
          Buffer.from(change.value.buffer, change.value.byteOffset, change.value.byteLength),
          expiresAt(registered.get(change.name)),
        );
      } else {
        this.remove.run(self.namespace, self.type, self.id, change.name);
      }
    }
    for (const [name, expiry] of registered) {
      if (expiry.mode !== "after-invoke" || changed.has(name)) continue;
      this.touch.run(now + expiry.ttlMs, self.namespace, self.type, self.id, name);
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
