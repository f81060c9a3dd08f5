// The ingress's address rules on their own: each rule of a function type and an id, the limits
// at their exact boundaries, and the 400 that names the rule. Found missing by the mutation run
// (address-rules.ts was only reached through the HTTP ingress).
import { describe, expect, it } from "vitest";
import {
  checkFunctionType,
  checkId,
  MAX_ID_LENGTH,
  MAX_TYPE_LENGTH,
  typenameProblem,
} from "../src/address-rules.js";
import { ingressErrorOf } from "./ingress-error.js";

describe("typenameProblem", () => {
  it.each([
    ["", "it is empty"],
    ["nsfn", 'it must have exactly one "/" between namespace and name (it has 0)'],
    ["a/b/c", 'it must have exactly one "/" between namespace and name (it has 2)'],
    ["/fn", "the namespace and the name must not be empty"],
    ["ns/", "the namespace and the name must not be empty"],
    ["ns/*", 'a wildcard "*" is a module.yaml pattern, not a function type'],
    ["ns/f*n", 'a wildcard "*" is a module.yaml pattern, not a function type'],
    ["ns/f\u0000n", "it contains a control character"],
    ["ns/f\u001fn", "it contains a control character"],
    ["ns/f\u007fn", "it contains a control character"],
    ["ns/f\u009fn", "it contains a control character"],
    ["ns/f n", "it contains whitespace"],
    ["ns/f\u00a0n", "it contains whitespace"],
  ])("%j: %s", (text, problem) => {
    expect(typenameProblem(text)).toBe(problem);
  });

  it("accepts <namespace>/<name> with dots, dashes and non-ASCII letters", () => {
    expect(typenameProblem("com.example.fns/greeter")).toBeUndefined();
    expect(typenameProblem("ns/grüße-2")).toBeUndefined();
    expect(typenameProblem("ns/f\u00a1n")).toBeUndefined(); // first character after the C1 range
  });

  it(`accepts ${MAX_TYPE_LENGTH} characters and refuses one more`, () => {
    const longest = `ns/${"f".repeat(MAX_TYPE_LENGTH - 3)}`;
    expect(longest).toHaveLength(255);
    expect(typenameProblem(longest)).toBeUndefined();
    expect(typenameProblem(`${longest}f`)).toBe("it is longer than 255 characters");
  });
});

describe("checkFunctionType", () => {
  it("passes a valid function type", () => {
    expect(() => checkFunctionType("com.example.fns", "greeter")).not.toThrow();
  });

  it("throws a 400 naming the type, the rule and an example", () => {
    const error = ingressErrorOf(() => checkFunctionType("ns", "a/b"));
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'function type "ns/a/b" is not a valid typename: it must have exactly one "/" between namespace and name (it has 2). A function type is <namespace>/<name>, e.g. com.example.fns/greeter',
    );
  });

  it("shows at most 80 characters of a long type", () => {
    const error = ingressErrorOf(() => checkFunctionType("ns", "f".repeat(300)));
    expect(error.message).toBe(
      `function type ${JSON.stringify(`ns/${"f".repeat(77)}…`)} is not a valid typename: it is longer than 255 characters. A function type is <namespace>/<name>, e.g. com.example.fns/greeter`,
    );
    // exactly 80 characters are shown whole
    const eighty = ingressErrorOf(() => checkFunctionType("n s", "f".repeat(76)));
    expect(eighty.message).toContain(JSON.stringify(`n s/${"f".repeat(76)}`));
  });
});

describe("checkId", () => {
  it("passes ids with spaces, slashes and non-ASCII text", () => {
    for (const id of ["7", "Bob Smith", "a/b", "grüße", "x\u00a0y", "i".repeat(MAX_ID_LENGTH)]) {
      expect(() => checkId(id)).not.toThrow();
    }
  });

  it.each([
    ["", 'id "" is not valid: it is empty'],
    [
      "i".repeat(1025),
      `id ${JSON.stringify(`${"i".repeat(80)}…`)} is not valid: it is longer than 1024 characters`,
    ],
    ["a\nb", 'id "a\\nb" is not valid: it contains a control character'],
    ["a\u0085b", 'id "a\u0085b" is not valid: it contains a control character'],
  ])("refuses %j with a 400", (id, message) => {
    const error = ingressErrorOf(() => checkId(id));
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
  });
});
