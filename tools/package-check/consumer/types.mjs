// A registry type as tools/typegen generates it: makeRegistryType with a compiled validator
// (written by hand here). `statefun-ts dev --types ./types.mjs` validates ingress bodies with it.
import { makeRegistryType } from "@statefun-ts/registry";

const validateGreetRequest = (data) => {
  const ok =
    typeof data === "object" &&
    data !== null &&
    typeof data.name === "string" &&
    Object.keys(data).every((key) => key === "name");
  validateGreetRequest.errors = ok
    ? null
    : [
        {
          instancePath: "",
          keyword: "required",
          params: { missingProperty: "name" },
          message: "must be { name: string }",
        },
      ];
  return ok;
};

export const GreetRequestType = makeRegistryType("com.example/GreetRequest", validateGreetRequest);
export const registry = [GreetRequestType];
