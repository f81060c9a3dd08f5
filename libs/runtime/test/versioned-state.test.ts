// Versioned state across a restart (issue 14): state written as com.example/User by one version of
// a function is read as com.example/UserV2 by the next one, after the local runtime restarts on the
// same SQLite file, through the generated upgradeUserToUserV2 and a user-written migrate; the
// upgraded value is written back as UserV2 and the old state is removed.
import {
  USER_V2_TYPENAME,
  type User,
  UserType,
  type UserV2,
  UserV2Type,
  upgradeUserToUserV2,
} from "@statefun-ts/registry-examples";
import {
  KafkaEgressBuilder,
  statefulFunctionsBuilder,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.js";
import {
  listTopic,
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serveRecording,
  tempDir,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");
const PROFILE = typeNameFrom("test.fns/profile");
const EGRESS = `---
kind: io.statefun.kafka.v1/egress
spec:
  id: test.io/out
  address: kafka:9092
`;

const userV1: ValueSpec<User> = { name: "user", valueType: UserType };
const userV2: ValueSpec<UserV2> = { name: "user_v2", valueType: UserV2Type };

function report(ctx: { self: { id: string } }, value: unknown) {
  return new KafkaEgressBuilder({
    target: OUT,
    topic: "profiles",
    key: ctx.self.id,
    value: JSON.stringify(value ?? null),
  });
}

// Version 1 of the function: "set <name> <colour>" stores a User; anything else reports it.
function version1() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: PROFILE,
      states: [userV1],
      function: (ctx, message) => {
        const [verb, name = "", favoriteColor = ""] = message.asString().split(" ");
        if (verb === "set") ctx.storage.set(userV1, { name, favoriteColor });
        ctx.sendEgress(report(ctx, ctx.storage.get(userV1)));
      },
    })
    .asHandler();
}

// The user-written migration: "Bob Smith" -> given/family name, unknown colours -> "other".
const migrations: User[] = [];
function migrate(old: User): UserV2 {
  migrations.push(old);
  const [givenName = "", ...rest] = old.name.split("_");
  const colors = ["red", "green", "blue"] as const;
  const favoriteColor = colors.find((c) => c === old.favoriteColor) ?? "other";
  return { givenName, familyName: rest.join(" "), favoriteColor };
}

// Version 2: the state moved to UserV2 (new state name), read through the upgrade.
function version2() {
  const upgrade = upgradeUserToUserV2(userV1, userV2, migrate);
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: PROFILE,
      states: [...upgrade.states],
      function: (ctx, message) => {
        const user = upgrade.get(ctx.storage);
        if (user !== undefined && message.asString() === "shout") {
          ctx.storage.set(userV2, { ...user, givenName: user.givenName.toUpperCase() });
        }
        ctx.sendEgress(report(ctx, ctx.storage.get(userV2)));
      },
    })
    .asHandler();
}

describe("versioned state on the local runtime", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("reads state written as User as UserV2 after a restart and writes it back as UserV2", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const stateFile = `${dir}/state.db`;
    const logs = memoryLog();

    // Run 1: version 1 of the function writes User values.
    const v1 = await serveRecording(version1());
    cleanups.push(v1.close);
    let runtime: Runtime = await runtimeFor(
      moduleYaml("test.fns", v1.url, EGRESS),
      stateFile,
      logs,
    );
    expect((await send(runtime, "test.fns/profile/bob", "set Bob_Smith blue")).status).toBe(202);
    expect((await send(runtime, "test.fns/profile/zoe", "set Zoë teal")).status).toBe(202);
    await waitForRecords(runtime.egressUrl, "profiles", 2);
    await runtime.close();

    // Run 2: the schema has UserV2 and the function moved to it; the runtime restarts on the file.
    const v2 = await serveRecording(version2());
    cleanups.push(v2.close);
    runtime = await runtimeFor(moduleYaml("test.fns", v2.url, EGRESS), stateFile, logs);
    cleanups.push(() => runtime.close());
    expect((await send(runtime, "test.fns/profile/bob", "read")).status).toBe(202);
    const [, , bob] = await waitForRecords(runtime.egressUrl, "profiles", 3);
    expect(JSON.parse(bob?.value ?? "")).toEqual({
      givenName: "Bob",
      familyName: "Smith",
      favoriteColor: "blue",
    });
    expect(migrations).toEqual([{ name: "Bob_Smith", favoriteColor: "blue" }]);

    // The old value came in as User bytes under the old state, the new state empty.
    const first = v2.requests.find((r) => (r.state ?? []).some((s) => s.stateValue?.hasValue))!;
    const byName = (r: typeof first, name: string) =>
      (r.state ?? []).find((s) => s.stateName === name);
    expect(byName(first, "user")?.stateValue?.typename).toBe("com.example/User");
    expect(byName(first, "user_v2")?.stateValue?.hasValue ?? false).toBe(false);

    // Written back as UserV2 (and the old state removed): the next call carries only UserV2 bytes,
    // and migrate does not run again.
    expect((await send(runtime, "test.fns/profile/bob", "shout")).status).toBe(202);
    await waitForRecords(runtime.egressUrl, "profiles", 4);
    const last = v2.requests.at(-1)!;
    expect(byName(last, "user")?.stateValue?.hasValue ?? false).toBe(false);
    const stored = byName(last, "user_v2")?.stateValue;
    expect(stored?.typename).toBe(USER_V2_TYPENAME);
    expect(UserV2Type.deserialize(stored!.value!)).toEqual({
      givenName: "Bob",
      familyName: "Smith",
      favoriteColor: "blue",
    });
    expect(migrations).toHaveLength(1);

    // Another restart: the upgraded value (and the change made after it) survived as UserV2;
    // zoe, never read in run 2, is upgraded now (colour teal -> "other").
    await runtime.close();
    runtime = await runtimeFor(moduleYaml("test.fns", v2.url, EGRESS), stateFile, logs);
    await send(runtime, "test.fns/profile/bob", "read");
    await send(runtime, "test.fns/profile/zoe", "read");
    await waitForRecords(runtime.egressUrl, "profiles", 6);
    const values = (await listTopic(runtime.egressUrl, "profiles", 4)).map((r) => [
      r.key,
      JSON.parse(r.value),
    ]);
    expect(values).toEqual(
      expect.arrayContaining([
        ["bob", { givenName: "BOB", familyName: "Smith", favoriteColor: "blue" }],
        ["zoe", { givenName: "Zoë", familyName: "", favoriteColor: "other" }],
      ]),
    );
    expect(migrations).toHaveLength(2);
  });
});
