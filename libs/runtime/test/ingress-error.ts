// The IngressError an action throws, for the tests of the ingress rules (address rules, bodies).
import { expect } from "vitest";
import { IngressError } from "../src/errors.js";

/** The IngressError `action` throws; fails the test when it throws anything else or nothing. */
export function ingressErrorOf(action: () => unknown): IngressError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(IngressError);
    return error as IngressError;
  }
  throw new Error("expected an IngressError");
}
