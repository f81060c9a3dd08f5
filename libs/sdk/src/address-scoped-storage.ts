// The storage of the address being invoked: the public AddressScopedStorage interface and the
// per-batch implementation that decodes state lazily and collects mutations as wire shapes.
// Holds no encoding of the reply (wire/ writes the mutations) and no handshake (the dispatcher).

import { type Address, formatAddress } from "./address.js";
import { describeError, StateAccessError } from "./errors.js";
import { deserializeRange, Int32Type } from "./types/built-in-types.js";
import type { ValueSpec } from "./value-spec.js";
import type { WireMutation } from "./wire/from-function-shapes.js";
import { WireReadValue } from "./wire/to-function-reader.js";
import type { WireTypedValue } from "./wire/typed-value.js";

/** Typed access to the state of the address being invoked. */
export interface AddressScopedStorage {
  /** The current value, or `undefined` when the state has no value. */
  get<T>(spec: ValueSpec<T>): T | undefined;
  /** Sets the value; it is written back to the runtime when the batch completes. */
  set<T>(spec: ValueSpec<T>, value: T): void;
  /** Removes the value. */
  remove(spec: ValueSpec<unknown>): void;
}

/** One state of one batch: raw bytes from the runtime, decoded lazily and cached. */
interface Cell {
  raw: WireTypedValue | null | undefined;
  value: unknown;
  decoded: boolean;
  mutated: boolean;
}

/**
 * The storage of one address for one batch. Values are decoded on first read and cached; only
 * states set or removed during the batch become mutations, the last operation winning.
 */
export class BatchStorage implements AddressScopedStorage {
  readonly #specs: readonly ValueSpec<unknown>[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #cells: Cell[];
  readonly #self: Address;

  constructor(
    specs: readonly ValueSpec<unknown>[],
    index: ReadonlyMap<string, number>,
    values: readonly (WireTypedValue | null | undefined)[],
    self: Address,
  ) {
    this.#specs = specs;
    this.#index = index;
    this.#self = self;
    const cells: Cell[] = new Array(specs.length);
    for (let i = 0; i < specs.length; i++) {
      cells[i] = { raw: values[i], value: undefined, decoded: false, mutated: false };
    }
    this.#cells = cells;
  }

  get<T>(spec: ValueSpec<T>): T | undefined {
    const cell = this.#cell(spec, "get");
    if (!cell.decoded) {
      cell.value = this.#decode(spec, cell.raw);
      cell.decoded = true;
    }
    return cell.value as T | undefined;
  }

  set<T>(spec: ValueSpec<T>, value: T): void {
    const cell = this.#cell(spec, "set");
    if (value === undefined || value === null) {
      throw new StateAccessError(
        `${this.#where(spec.name)}: cannot set the state to ${value}; use storage.remove(spec) to delete it`,
      );
    }
    cell.value = value;
    cell.decoded = true;
    cell.mutated = true;
  }

  remove(spec: ValueSpec<unknown>): void {
    const cell = this.#cell(spec, "remove");
    cell.value = undefined;
    cell.decoded = true;
    cell.mutated = true;
  }

  /** The mutations of the batch, in declaration order; serializes each value once. */
  mutations(): WireMutation[] {
    // Sized up front: a batch usually mutates one or two states (push would reserve 17 slots).
    let count = 0;
    for (let i = 0; i < this.#cells.length; i++) if (this.#cells[i]!.mutated) count++;
    const out: WireMutation[] = new Array(count);
    let n = 0;
    for (let i = 0; i < this.#cells.length; i++) {
      const cell = this.#cells[i]!;
      if (!cell.mutated) continue;
      const spec = this.#specs[i]!;
      if (cell.value === undefined) {
        out[n++] = { mutationType: 0, stateName: spec.name };
        continue;
      }
      const typename = spec.valueType.typeName.toString();
      const value = cell.value;
      if (
        spec.valueType === Int32Type &&
        typeof value === "number" &&
        Number.isInteger(value) &&
        value >= -2147483648 &&
        value <= 2147483647
      ) {
        // Kept as a number: the writer encodes the IntWrapper into the reply (no bytes here).
        out[n++] = {
          mutationType: 1,
          stateName: spec.name,
          stateValue: { typename, hasValue: true, int32: value },
        };
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = spec.valueType.serialize(cell.value);
      } catch (error) {
        throw new StateAccessError(
          `${this.#where(spec.name)}: cannot serialize the new value: ${describeError(error)}`,
          {
            cause: error,
          },
        );
      }
      out[n++] = {
        mutationType: 1,
        stateName: spec.name,
        stateValue: { typename, hasValue: true, value: bytes },
      };
    }
    return out;
  }

  #cell(spec: ValueSpec<unknown>, operation: string): Cell {
    const i = this.#index.get(spec?.name);
    if (i !== undefined) {
      const registered = this.#specs[i]!;
      if (
        registered === spec ||
        registered.valueType === spec.valueType ||
        registered.valueType.typeName.toString() === spec.valueType.typeName.toString()
      ) {
        return this.#cells[i]!;
      }
      throw new StateAccessError(
        `${this.#where(spec.name)}: storage.${operation} with type ${spec.valueType.typeName.toString()}, but the state is registered with type ${registered.valueType.typeName.toString()}`,
      );
    }
    const known = this.#specs.map((s) => s.name).join(", ") || "(none)";
    throw new StateAccessError(
      `${this.#where(spec?.name)}: storage.${operation} of unregistered state; add its ValueSpec to the function's states (registered: ${known})`,
    );
  }

  #decode(spec: ValueSpec<unknown>, raw: WireTypedValue | null | undefined): unknown {
    if (raw === null || raw === undefined || !raw.hasValue) return undefined;
    const expected = spec.valueType.typeName.toString();
    if (raw.typename !== expected) {
      throw new StateAccessError(
        `${this.#where(spec.name)}: the runtime holds a value of type ${raw.typename}, but the state is declared with type ${expected}; a state keeps its type for life (migrate it under a new state name)`,
      );
    }
    try {
      // A value read from the request stays a range of the payload (no view for built-in types).
      return raw instanceof WireReadValue
        ? deserializeRange(spec.valueType, raw.payload, raw.start, raw.end)
        : spec.valueType.deserialize(raw.value);
    } catch (error) {
      throw new StateAccessError(
        `${this.#where(spec.name)}: cannot deserialize the stored value: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  #where(state: string): string {
    return `function ${formatAddress(this.#self)}, state ${state}`;
  }
}
