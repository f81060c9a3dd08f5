// The SQLite schema of the state file and the connection settings chosen for it (see the
// runtime README, "Durability"): WAL, synchronous NORMAL (or FULL), a short busy timeout.
import type Database from "better-sqlite3";

/**
 * Tables: queue, state, delayed, egress_pack (+ cursors), dead_letters. Created when missing. The
 * queue has no index by address (files of earlier versions lose theirs): the runtime reads it
 * from its memory mirror, and the index cost ~2 µs of CPU per message (insert and delete).
 * A consumed batch is not deleted row by row: `queue_consumed` holds, per address, the sequence
 * number up to which its messages are consumed, and the rows go later in bulk (see QueueRoom).
 * The view `queued` is the queue without its consumed rows: tooling reads it, not `queue`.
 * Egress records are stored a run per row (`egress_pack`, see EgressRoom); the row-per-record
 * table `egress` of files of schema 2 is moved into it when such a file is opened.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  caller_namespace TEXT, caller_type TEXT, caller_id TEXT,
  typename TEXT NOT NULL, has_value INTEGER NOT NULL, value BLOB NOT NULL,
  enqueued_at INTEGER NOT NULL);
DROP INDEX IF EXISTS queue_address;
CREATE TABLE IF NOT EXISTS queue_consumed (
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, upto INTEGER NOT NULL,
  PRIMARY KEY (namespace, type, id)) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS queued AS SELECT q.* FROM queue q
  LEFT JOIN queue_consumed c ON c.namespace = q.namespace AND c.type = q.type AND c.id = q.id
  WHERE c.upto IS NULL OR q.seq > c.upto;
CREATE TABLE IF NOT EXISTS state (
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
  value BLOB NOT NULL, expires_at INTEGER,
  PRIMARY KEY (namespace, type, id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS delayed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, due_at INTEGER NOT NULL,
  sender_namespace TEXT NOT NULL, sender_type TEXT NOT NULL, sender_id TEXT NOT NULL,
  token TEXT,
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  typename TEXT NOT NULL, has_value INTEGER NOT NULL, value BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS delayed_token
  ON delayed(sender_namespace, sender_type, sender_id, token) WHERE token IS NOT NULL;
CREATE INDEX IF NOT EXISTS delayed_due ON delayed(due_at);
CREATE TABLE IF NOT EXISTS egress_pack (
  topic TEXT NOT NULL, first_offset INTEGER NOT NULL, count INTEGER NOT NULL,
  kind TEXT NOT NULL, timestamp INTEGER NOT NULL, records BLOB NOT NULL,
  PRIMARY KEY (topic, first_offset));
CREATE TABLE IF NOT EXISTS egress_cursor (topic TEXT PRIMARY KEY, next_offset INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  caller_namespace TEXT, caller_type TEXT, caller_id TEXT,
  typename TEXT NOT NULL, has_value INTEGER NOT NULL, value BLOB NOT NULL,
  enqueued_at INTEGER NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL,
  failed_at INTEGER NOT NULL);
`;

/** The version of {@link SCHEMA}, kept in SQLite's `user_version`. */
export const SCHEMA_VERSION = 3;

/** How long one statement waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 100;

/**
 * Sets the connection up: WAL (readers never block the writer; a commit is one append to the
 * WAL file), `synchronous` NORMAL (the commit is written to the OS before it returns: survives a
 * process crash; checkpoints fsync) or FULL (an fsync per commit: survives a power loss too), a
 * short busy timeout (a longer wait would block the event loop; callers retry with backoff
 * instead), and an optional size cap in pages (`max_page_count`), then creates the tables.
 * Refuses a file of a newer schema, which this version would misread.
 */
export function prepareDatabase(
  db: Database.Database,
  maxPages: number | undefined,
  synchronous: "NORMAL" | "FULL",
): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  if (maxPages !== undefined) db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxPages))}`);
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `it was written by a newer @statefun-ts/runtime (schema ${version}; this one reads up to ` +
        `${SCHEMA_VERSION}): run that version, or start over with --reset (deletes all state)`,
    );
  }
  db.exec(SCHEMA);
  // Stamping the schema version is a write: a read-only file fails here, at open, not later.
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
