// A fixed-size ring buffer: the inspector's bounded histories.

/** Keeps the last `capacity` items pushed; older ones are dropped. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private size = 0;
  /** Items pushed since creation, dropped ones included. */
  pushed = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`a ring buffer needs a capacity >= 1, got ${capacity}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
    this.pushed += 1;
  }

  /** The items held, newest first. */
  newestFirst(): T[] {
    const result: T[] = [];
    for (let i = 1; i <= this.size; i += 1) {
      result.push(this.items[(this.next - i + this.capacity) % this.capacity] as T);
    }
    return result;
  }

  get length(): number {
    return this.size;
  }
}
