// One owner per state file: an exclusive OS lock (SQLite's fcntl write lock on `<state>.lock`,
// held for the owner's life, released by the OS when the process ends, SIGKILL included).
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { describeError, RuntimeError } from "../errors.js";

/** Another process (or runtime) owns the state file. */
export class StateFileLockedError extends RuntimeError {
  /** Always `"StateFileLockedError"`. */
  override name = "StateFileLockedError";
  constructor(
    message: string,
    /** The pid of the owner, when it could be read. */
    readonly pid: number | undefined,
  ) {
    super(message);
  }
}

interface OwnerRow {
  pid: number;
  host: string;
  started_at: number;
}

/**
 * The exclusive ownership of a state file. Taken before the state file is opened or deleted
 * (`--reset` included); a second owner is refused with the file and the pid that holds it.
 */
export class OwnerLock {
  private constructor(
    private readonly db: Database.Database,
    /** The lock file next to the state file. */
    readonly file: string,
  ) {}

  /** Takes the lock of `stateFile`, or throws {@link StateFileLockedError}. */
  static acquire(stateFile: string): OwnerLock {
    const file = `${stateFile}.lock`;
    mkdirSync(dirname(file), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma("busy_timeout = 0");
      db.pragma("journal_mode = WAL");
      db.exec(
        "CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, host TEXT NOT NULL, started_at INTEGER NOT NULL)",
      );
    } catch (error) {
      if (isBusy(error)) throw locked(stateFile, undefined);
      throw new RuntimeError(
        `cannot open the lock file ${file} of state file ${stateFile}: ${describeError(error)}`,
      );
    }
    const take = (): void => {
      try {
        db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        const owner = readOwner(db);
        db.close();
        if (isBusy(error)) throw locked(stateFile, owner);
        throw new RuntimeError(`cannot lock state file ${stateFile}: ${describeError(error)}`);
      }
    };
    take();
    // Publish who owns it (committed, so a refused second instance can name the pid), then hold
    // the write lock until release.
    db.prepare("DELETE FROM owner").run();
    db.prepare("INSERT INTO owner (pid, host, started_at) VALUES (?, ?, ?)").run(
      process.pid,
      hostname(),
      Date.now(),
    );
    db.exec("COMMIT");
    take();
    return new OwnerLock(db, file);
  }

  /** Releases the lock (the OS releases it too when the process ends). */
  release(): void {
    if (!this.db.open) return;
    try {
      this.db.exec("ROLLBACK");
    } catch {
      // Nothing to roll back.
    }
    this.db.close();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

function readOwner(db: Database.Database): OwnerRow | undefined {
  try {
    return db.prepare("SELECT pid, host, started_at FROM owner").get() as OwnerRow | undefined;
  } catch {
    return undefined;
  }
}

function locked(stateFile: string, owner: OwnerRow | undefined): StateFileLockedError {
  const who = owner
    ? `process ${owner.pid} on ${owner.host} (running since ${new Date(owner.started_at).toISOString()})`
    : "another process";
  return new StateFileLockedError(
    `state file ${stateFile} is in use by ${who}: one runtime per state file. Stop that runtime first, or use another --state-file. Nothing was changed or deleted.`,
    owner?.pid,
  );
}
