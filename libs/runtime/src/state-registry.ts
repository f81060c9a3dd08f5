// The states each function type registered through the IncompleteInvocationContext handshake.
import type { StateExpiry } from "./durable-store.js";
import { ReplyRejectedError } from "./errors.js";
import { ExpireMode, type WireStateSpec } from "./wire-codec.js";

const UNSET_STATE_TYPE = "io.statefun.types/unset";

/** A state registered for a function type through the IncompleteInvocationContext handshake. */
export interface RegisteredState {
  readonly typename: string;
  readonly expiry: StateExpiry;
}

/**
 * The states registered per function type. As in StateFun, registrations live in memory only
 * (after a restart the handshake happens again), are register-if-absent (TTL is fixed at the
 * first registration), and a second registration with another type is an error.
 */
export class StateRegistry {
  private readonly byType = new Map<string, Map<string, RegisteredState>>();

  /** The registered states of a function type (`<namespace>/<type>`). */
  statesOf(functionType: string): ReadonlyMap<string, RegisteredState> {
    return this.byType.get(functionType) ?? new Map();
  }

  /** Registers missing specs; returns how many were new. Throws on a type mismatch. */
  register(functionType: string, specs: readonly WireStateSpec[]): number {
    let states = this.byType.get(functionType);
    if (!states) {
      states = new Map();
      this.byType.set(functionType, states);
    }
    let added = 0;
    for (const spec of specs) {
      const name = spec.stateName ?? "";
      if (name === "") {
        throw new ReplyRejectedError(
          `function ${functionType} asked to register a state with an empty name`,
        );
      }
      const typename = spec.typeTypename ? spec.typeTypename : UNSET_STATE_TYPE;
      if (typename.split("/").length !== 2 || typename.split("/").some((p) => p === "")) {
        throw new ReplyRejectedError(
          `function ${functionType} declared state "${name}" with typename "${typename}"; a state typename must be "<namespace>/<name>" with exactly one "/"`,
        );
      }
      const existing = states.get(name);
      if (existing) {
        if (existing.typename !== typename) {
          throw new ReplyRejectedError(
            `function ${functionType} declared state "${name}" with type ${typename}, but it is registered with type ${existing.typename}; keep a state's type stable (or rename the state)`,
          );
        }
        continue;
      }
      const ms = Number(spec.expirationSpec?.expireAfterMillis ?? 0);
      const mode = spec.expirationSpec?.mode ?? ExpireMode.NONE;
      const expiry: StateExpiry =
        mode === ExpireMode.AFTER_WRITE && ms > 0
          ? { mode: "after-write", ttlMs: ms }
          : mode === ExpireMode.AFTER_INVOKE && ms > 0
            ? { mode: "after-invoke", ttlMs: ms }
            : { mode: "none", ttlMs: 0 };
      states.set(name, { typename, expiry });
      added += 1;
    }
    return added;
  }
}
