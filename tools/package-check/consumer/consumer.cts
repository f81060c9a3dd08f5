// Type-checks a CommonJS TypeScript user: require() of the ES-module packages (TypeScript's
// node20/nodenext resolution, as Node 20.19+ runs it).
import sdk = require("@statefun-ts/sdk");
import testing = require("@statefun-ts/testing");

export const counter: sdk.TypeName = sdk.typeNameFrom("com.example.cjs/counter");
export const make: typeof testing.createTestEnvironment = testing.createTestEnvironment;
