// Versioned state: moving a function's state to a new version of its type (com.example/User ->
// com.example/UserV2) under a new state name, upgrading each address's old value through a
// user-written `migrate` on first read. Both runtimes (local and Flink StateFun) fix a state's
// typename for life, so a new type always means a new state name; see schemas/README.md.
import {
  type AddressScopedStorage,
  ConfigurationError,
  StateAccessError,
  type ValueSpec,
} from "@statefun-ts/sdk";

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A state that moved to a new version of its type. Register {@link StateUpgrade.states} (both
 * specs) in the function, read through {@link StateUpgrade.get} and write through `storage.set(to, ...)`.
 */
export interface StateUpgrade<Old, New> {
  /** The old state (old name, old type): still declared so that its value can be read. */
  readonly from: ValueSpec<Old>;
  /** The new state (new name, new type): the one the function reads and writes. */
  readonly to: ValueSpec<New>;
  /** `[from, to]`: put both in the function's `states`. */
  readonly states: readonly [ValueSpec<Old>, ValueSpec<New>];
  /**
   * The new state's value; when it has none but the old state has one, that value upgraded by
   * `migrate`: it is set on the new state and the old state is removed, so the batch writes it
   * back as the new type and the next read finds it there. `undefined` when neither has a value.
   */
  get(storage: AddressScopedStorage): New | undefined;
}

/** The typenames a generated upgrade function checks its ValueSpecs against. */
export interface UpgradeTypeNames {
  readonly from: string;
  readonly to: string;
}

/**
 * Declares that state `from` moved to state `to`, a new version of its type.
 *
 * @param migrate turns an old value into a new one; it must return a valid new value
 * @param expected the typenames the states must have (generated upgrade functions pass them)
 * @throws ConfigurationError when both specs have the same name (a state keeps its type for life)
 */
export function stateUpgrade<Old, New>(
  from: ValueSpec<Old>,
  to: ValueSpec<New>,
  migrate: (old: Old) => New,
  expected?: UpgradeTypeNames,
): StateUpgrade<Old, New> {
  const fromType = from?.valueType?.typeName?.toString();
  const toType = to?.valueType?.typeName?.toString();
  if (expected !== undefined && (fromType !== expected.from || toType !== expected.to)) {
    throw new ConfigurationError(
      `stateUpgrade ${String(from?.name)} -> ${String(to?.name)}: expected a state of ${expected.from} moving to ${expected.to}, got ${fromType} -> ${toType}; pass the ValueSpecs of those types`,
    );
  }
  if (from?.name === to?.name) {
    throw new ConfigurationError(
      `stateUpgrade: state ${String(from?.name)} cannot move from ${fromType} to ${toType} under the same name: the runtime (local and Flink) keeps a state's typename for life; give the new version a new state name, e.g. "${String(from?.name)}_v2"`,
    );
  }
  if (typeof migrate !== "function") {
    throw new ConfigurationError(
      `stateUpgrade ${from.name} -> ${to.name}: migrate must be a function (old value) => new value`,
    );
  }
  return {
    from,
    to,
    states: [from, to],
    get(storage: AddressScopedStorage): New | undefined {
      const current = storage.get(to);
      if (current !== undefined) return current;
      const old = storage.get(from);
      if (old === undefined) return undefined;
      let upgraded: New;
      try {
        upgraded = migrate(old);
      } catch (error) {
        throw new StateAccessError(
          `state ${from.name} (${fromType}) -> ${to.name} (${toType}): migrate failed: ${describeError(error)}`,
          { cause: error },
        );
      }
      if (upgraded === undefined || upgraded === null) {
        throw new StateAccessError(
          `state ${from.name} (${fromType}) -> ${to.name} (${toType}): migrate returned ${upgraded}; it must return a ${toType} value`,
        );
      }
      storage.set(to, upgraded);
      storage.remove(from);
      return upgraded;
    },
  };
}
