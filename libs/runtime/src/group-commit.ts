// Group commit: work submitted in the same turn of the event loop is written in ONE SQLite
// transaction (one fsync), then every submitter learns its own result.

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects items and hands them to `commit` together once the current I/O callbacks have run
 * (setImmediate): requests that arrive together share a transaction. `commit` returns one
 * result per item, or throws, which rejects every item of the group (nothing of it applied).
 */
export class GroupCommit<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private scheduled = false;

  constructor(private readonly commit: (items: readonly T[]) => readonly R[]) {}

  /** Items waiting for the next commit. */
  get size(): number {
    return this.pending.length;
  }

  /** Queues an item for the next group; resolves with its result once the group is committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is pending now (also called by the scheduled turn). */
  flush(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let results: readonly R[];
    try {
      results = this.commit(group.map((p) => p.item));
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    group.forEach((p, i) => {
      p.resolve(results[i] as R);
    });
  }
}
