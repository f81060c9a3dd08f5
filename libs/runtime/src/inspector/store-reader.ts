// Read-only queries of the runtime's SQLite state for the inspector (listings the store's own
// API has no need for). Nothing here writes.
import type Database from "better-sqlite3";
import type { AddressKey, StoredValue } from "../durable-store.js";

/** An address with its counts of state values and queued messages. */
export interface AddressRow {
  readonly address: AddressKey;
  readonly states: number;
  readonly queued: number;
}

/** A stored state value with its expiry. */
export interface StateRow {
  readonly name: string;
  readonly value: Uint8Array;
  readonly expiresAt: number | null;
}

/** A queued message with its enqueue time. */
export interface QueueRow {
  readonly seq: number;
  readonly caller: AddressKey | undefined;
  readonly argument: StoredValue;
  readonly enqueuedAt: number;
}

/** A pending delayed message. */
export interface DelayedRow {
  readonly seq: number;
  readonly dueAt: number;
  readonly sender: AddressKey;
  readonly token: string | null;
  readonly target: AddressKey;
  readonly argument: StoredValue;
}

/** What to list: addresses whose function type or id contains `q`, or matches `type`/`id`. */
export interface AddressFilter {
  /** Matches `namespace/type/id` containing this text (case-insensitive). */
  readonly q?: string;
  /** `namespace/type`: only this function type. */
  readonly functionType?: string;
  /** Only this id. */
  readonly id?: string;
}

interface RawDelayed {
  seq: number;
  due_at: number;
  sender_namespace: string;
  sender_type: string;
  sender_id: string;
  token: string | null;
  namespace: string;
  type: string;
  id: string;
  typename: string;
  has_value: number;
  value: Buffer;
}

function toDelayed(row: RawDelayed): DelayedRow {
  return {
    seq: row.seq,
    dueAt: row.due_at,
    sender: { namespace: row.sender_namespace, type: row.sender_type, id: row.sender_id },
    token: row.token,
    target: { namespace: row.namespace, type: row.type, id: row.id },
    argument: {
      typename: row.typename,
      hasValue: row.has_value === 1,
      value: new Uint8Array(row.value),
    },
  };
}

function like(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Read-only listings over the runtime's database. */
export class StoreReader {
  constructor(
    private readonly db: () => Database.Database,
    private readonly now: () => number,
  ) {}

  /** Addresses with state or queued messages matching `filter`, sorted, at most `limit`. */
  addresses(filter: AddressFilter, limit: number): { rows: AddressRow[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.q) {
      where.push("(namespace || '/' || type || '/' || id) LIKE ? ESCAPE '\\'");
      params.push(like(filter.q));
    }
    if (filter.functionType) {
      where.push("(namespace || '/' || type) = ?");
      params.push(filter.functionType);
    }
    if (filter.id !== undefined && filter.id !== "") {
      where.push("id = ?");
      params.push(filter.id);
    }
    const now = this.now();
    const sql = `
      WITH a AS (
        SELECT namespace, type, id,
          SUM(CASE WHEN expires_at IS NULL OR expires_at > ${Number(now)} THEN 1 ELSE 0 END) AS states,
          0 AS queued
        FROM state GROUP BY namespace, type, id
        UNION ALL
        SELECT namespace, type, id, 0 AS states, COUNT(*) AS queued FROM queued GROUP BY namespace, type, id)
      SELECT namespace, type, id, SUM(states) AS states, SUM(queued) AS queued FROM a
      ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      GROUP BY namespace, type, id`;
    const db = this.db();
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).get(...params) as { n: number })
      .n;
    const rows = db
      .prepare(`${sql} ORDER BY namespace, type, id LIMIT ?`)
      .all(...params, limit) as Array<AddressKey & { states: number; queued: number }>;
    return {
      total,
      rows: rows.map((r) => ({
        address: { namespace: r.namespace, type: r.type, id: r.id },
        states: r.states,
        queued: r.queued,
      })),
    };
  }

  /** The stored states of an address that have not expired, by name. */
  states(address: AddressKey): StateRow[] {
    const rows = this.db()
      .prepare(
        `SELECT name, value, expires_at FROM state WHERE namespace = ? AND type = ? AND id = ?
           AND (expires_at IS NULL OR expires_at > ?) ORDER BY name`,
      )
      .all(address.namespace, address.type, address.id, this.now()) as Array<{
      name: string;
      value: Buffer;
      expires_at: number | null;
    }>;
    return rows.map((r) => ({
      name: r.name,
      value: new Uint8Array(r.value),
      expiresAt: r.expires_at,
    }));
  }

  /** The oldest queued messages of an address, at most `limit`. */
  queue(address: AddressKey, limit: number): QueueRow[] {
    const rows = this.db()
      .prepare(
        `SELECT seq, caller_namespace, caller_type, caller_id, typename, has_value, value, enqueued_at
           FROM queued WHERE namespace = ? AND type = ? AND id = ? ORDER BY seq LIMIT ?`,
      )
      .all(address.namespace, address.type, address.id, limit) as Array<{
      seq: number;
      caller_namespace: string | null;
      caller_type: string | null;
      caller_id: string | null;
      typename: string;
      has_value: number;
      value: Buffer;
      enqueued_at: number;
    }>;
    return rows.map((r) => ({
      seq: r.seq,
      caller:
        r.caller_namespace !== null && r.caller_type !== null && r.caller_id !== null
          ? { namespace: r.caller_namespace, type: r.caller_type, id: r.caller_id }
          : undefined,
      argument: {
        typename: r.typename,
        hasValue: r.has_value === 1,
        value: new Uint8Array(r.value),
      },
      enqueuedAt: r.enqueued_at,
    }));
  }

  /** Queued messages per function type (`namespace/type`). */
  queueDepths(): Map<string, number> {
    const rows = this.db()
      .prepare("SELECT namespace, type, COUNT(*) AS n FROM queued GROUP BY namespace, type")
      .all() as Array<{ namespace: string; type: string; n: number }>;
    return new Map(rows.map((r) => [`${r.namespace}/${r.type}`, r.n]));
  }

  /** Addresses with state or queued messages per function type (`namespace/type`). */
  addressCounts(): Map<string, number> {
    const rows = this.db()
      .prepare(
        `SELECT namespace, type, COUNT(*) AS n FROM (
           SELECT namespace, type, id FROM state UNION SELECT namespace, type, id FROM queued)
         GROUP BY namespace, type`,
      )
      .all() as Array<{ namespace: string; type: string; n: number }>;
    return new Map(rows.map((r) => [`${r.namespace}/${r.type}`, r.n]));
  }

  /** Pending delayed messages, earliest due first, at most `limit`; to or from `address` if given. */
  delayed(limit: number, address?: AddressKey): DelayedRow[] {
    const rows = address
      ? this.db()
          .prepare(
            `SELECT * FROM delayed WHERE (namespace = ? AND type = ? AND id = ?)
               OR (sender_namespace = ? AND sender_type = ? AND sender_id = ?)
             ORDER BY due_at, seq LIMIT ?`,
          )
          .all(
            address.namespace,
            address.type,
            address.id,
            address.namespace,
            address.type,
            address.id,
            limit,
          )
      : this.db().prepare("SELECT * FROM delayed ORDER BY due_at, seq LIMIT ?").all(limit);
    return (rows as RawDelayed[]).map(toDelayed);
  }

  /** The pending delayed messages of `sender` with one of `tokens`. */
  delayedByToken(sender: AddressKey, tokens: readonly string[]): DelayedRow[] {
    if (tokens.length === 0) return [];
    const rows = this.db()
      .prepare(
        `SELECT * FROM delayed WHERE sender_namespace = ? AND sender_type = ? AND sender_id = ?
           AND token IN (${tokens.map(() => "?").join(", ")})`,
      )
      .all(sender.namespace, sender.type, sender.id, ...tokens) as RawDelayed[];
    return rows.map(toDelayed);
  }
}
