// Failure scenario, as in StateFun's own smoke test: while messages flow, the function service
// (our SDK, in a child process) is SIGKILLed, kept down for a few seconds and started again on the
// same port; the runtime retries. Then the runtime itself crashes and recovers from its durable
// state (Flink: job failure, restart from the last checkpoint). At the end every id reports its
// count, and each count must be exact: no message lost, none counted twice.
import { fileURLToPath } from "node:url";
import { StringType } from "@statefun-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTER, VERIFY_EGRESS } from "./functions/counter.js";
import {
  bundleService,
  type ChildService,
  freePort,
  startService,
} from "./support/child-service.js";
import { pollFor, type ScenarioDriver, sleep } from "./support/driver.js";
import { DRIVER_CASES, reportStartup } from "./support/drivers.js";
import { moduleYaml } from "./support/module-yaml.js";
import { flinkToolchainTests } from "./support/toolchain.js";

// without java/mvn: a failing test naming the tool in CI, else the Flink cases are skipped
flinkToolchainTests("flink-runtime failures");
const IDS = 50;
const MESSAGES = 200;
const DOWN_MS = 3_000;
const STRING = StringType.typeName.toString();
const ids = Array.from({ length: IDS }, (_, i) => `id-${i}`);
let bundled: Promise<string> | undefined;
const counterBundle = () => {
  bundled ??= bundleService(
    fileURLToPath(new URL("./functions/counter-service.ts", import.meta.url)),
    "counter-service",
  );
  return bundled;
};

for (const driverCase of DRIVER_CASES)
  describe(`failures on the ${driverCase.name} runtime${driverCase.note}`, () => {
    let bundle: string;
    let port: number;
    let service: ChildService | undefined;
    let driver: ScenarioDriver;

    const send = (id: string, command: string) =>
      driver.send(COUNTER.namespace, COUNTER.name, id, STRING, StringType.serialize(command));

    /** Sends `verify:<round>` to every id; resolves with each id's reported values. */
    async function verify(round: string): Promise<Map<string, Set<string>>> {
      for (const id of ids) await send(id, `verify:${round}`);
      return pollFor(
        `every id to report round ${round}`,
        async () => {
          const reported = new Map<string, Set<string>>();
          for (const r of await driver.records(VERIFY_EGRESS.toString())) {
            const value = StringType.deserialize(r.value);
            const match = /^(.+)=(\d+)@(.+)$/.exec(value);
            if (!match || match[3] !== round) continue;
            const id = match[1] ?? "";
            reported.set(id, (reported.get(id) ?? new Set()).add(value));
          }
          return reported.size === IDS ? reported : undefined;
        },
        60_000,
      );
    }

    /** Expected vs actual per id; egress delivery is at-least-once, so a report may repeat. */
    function expectCounts(reported: Map<string, Set<string>>, perId: number, round: string): void {
      const wrong = ids.filter((id) => {
        const values = [...(reported.get(id) ?? [])];
        return values.length !== 1 || values[0] !== `${id}=${perId}@${round}`;
      });
      expect(
        wrong.map(
          (id) => `${id}: expected ${perId}, got ${[...(reported.get(id) ?? [])].join(",")}`,
        ),
      ).toEqual([]);
    }

    beforeAll(async () => {
      if (driverCase.skipReason) return;
      bundle = await counterBundle();
      port = await freePort();
      service = await startService(bundle, port);
      const module = moduleYaml([
        { functions: `${COUNTER.namespace}/*`, url: `http://127.0.0.1:${port}/statefun` },
      ]);
      driver = await driverCase.start(module, [VERIFY_EGRESS.toString()]);
      reportStartup(driver);
    });
    afterAll(async () => {
      await driver?.stop();
      await service?.kill();
    });

    it.skipIf(driverCase.skipReason)(
      "counts exactly when the function service is SIGKILLed while messages flow",
      async () => {
        let restarted: Promise<void> | undefined;
        let killedAt = 0;
        for (let i = 0; i < MESSAGES; i++) {
          await send(ids[i % IDS] ?? "", "inc");
          if (i === MESSAGES / 4) {
            await service?.kill();
            killedAt = Date.now();
            restarted = sleep(DOWN_MS).then(async () => {
              service = await startService(bundle, port);
            });
          }
          await sleep(15);
        }
        // messages were still being sent while the service was down
        expect(Date.now() - killedAt).toBeGreaterThan(1_000);
        await restarted;
        const restartedAt = Date.now();
        const reported = await verify("1");
        console.log(
          `${driver.name}: service down ${DOWN_MS} ms; all ${IDS} ids verified ${Date.now() - restartedAt} ms after its restart`,
        );
        expectCounts(reported, MESSAGES / IDS, "1");
      },
    );

    it.skipIf(driverCase.skipReason)(
      "counts exactly when the runtime crashes and recovers while messages flow",
      async () => {
        for (const [i, id] of ids.entries()) {
          await send(id, "inc");
          if (i === IDS / 2) await driver.restart();
        }
        expectCounts(await verify("2"), MESSAGES / IDS + 1, "2");
      },
    );
  });
