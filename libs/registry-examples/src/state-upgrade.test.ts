// The generated upgradeUserToUserV2 (com.example/UserV2 supersedes com.example/User): typed specs,
// the typename check, and an upgrade through the SDK's byte-level handler (state bytes in, mutations
// out), the migrated value validated as UserV2 on its way out.
import {
  ConfigurationError,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { fromFunctionCodec, toFunctionCodec } from "@statefun-ts/sdk/wire";
import { describe, expect, it } from "vitest";
import {
  USER_TYPENAME,
  USER_V2_SUPERSEDES,
  USER_V2_TYPENAME,
  type User,
  UserType,
  type UserV2,
  UserV2Type,
  upgradeUserToUserV2,
} from "./index.js";

const from = { name: "user", valueType: UserType };
const to = { name: "user_v2", valueType: UserV2Type };

function handler(migrate: (old: User) => UserV2) {
  const upgrade = upgradeUserToUserV2(from, to, migrate);
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("com.example.fns/profile"),
      states: [...upgrade.states],
      function: (ctx) => {
        upgrade.get(ctx.storage);
      },
    })
    .asHandler();
}

async function invokeWithOld(migrate: (old: User) => UserV2) {
  const request = toFunctionCodec.encode({
    invocation: {
      target: { namespace: "com.example.fns", type: "profile", id: "bob" },
      state: [
        {
          stateName: "user",
          stateValue: {
            typename: USER_TYPENAME,
            hasValue: true,
            value: UserType.serialize({ name: "Bob", favoriteColor: "blue" }),
          },
        },
        { stateName: "user_v2" },
      ],
      invocations: [
        {
          argument: {
            typename: StringType.typeName.toString(),
            hasValue: true,
            value: StringType.serialize("read"),
          },
        },
      ],
    },
  });
  return fromFunctionCodec.decode(await handler(migrate).invoke(request));
}

describe("generated upgradeUserToUserV2", () => {
  it("declares what UserV2 supersedes", () => {
    expect(USER_V2_SUPERSEDES).toEqual([USER_TYPENAME]);
  });

  it("upgrades the stored User: sets user_v2 as UserV2 bytes and deletes user", async () => {
    const reply = await invokeWithOld((old) => ({
      givenName: old.name,
      familyName: "",
      favoriteColor: "blue",
    }));
    const mutations = reply.invocationResult?.stateMutations ?? [];
    expect(mutations.map((m) => [m.stateName, m.mutationType])).toEqual([
      ["user", 0],
      ["user_v2", 1],
    ]);
    const written = mutations[1]?.stateValue;
    expect(written?.typename).toBe(USER_V2_TYPENAME);
    expect(UserV2Type.deserialize(written!.value!)).toEqual({
      givenName: "Bob",
      familyName: "",
      favoriteColor: "blue",
    });
  });

  it("fails the invocation when migrate returns an invalid UserV2, naming the pointer", async () => {
    const reply = invokeWithOld(
      (old) => ({ givenName: old.name, familyName: "", favoriteColor: "teal" }) as never,
    );
    await expect(reply).rejects.toThrow(/user_v2.*\/favoriteColor must be one of/s);
  });

  it("refuses specs of other types", () => {
    expect(() =>
      upgradeUserToUserV2({ name: "user", valueType: UserV2Type } as never, to, (u) => u as never),
    ).toThrow(ConfigurationError);
    expect(() =>
      upgradeUserToUserV2(from, { name: "user", valueType: UserV2Type }, () => ({}) as never),
    ).toThrow(/under the same name/);
  });
});
