// The counter of the failure scenario (like StateFun's smoke test): `inc` adds one to the id's
// count; `verify:<round>` makes the id report `<id>=<count>@<round>` to the egress
// `e2e.fail/verify`, so the test compares expected and actual counts per id.
import {
  type Context,
  GenericEgressBuilder,
  Int32Type,
  type Message,
  type StatefulFunctionSpec,
  StringType,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";

export const COUNTER = typeNameFrom("e2e.fail/counter");
export const VERIFY_EGRESS = typeNameFrom("e2e.fail/verify");

const count: ValueSpec<number> = { name: "count", valueType: Int32Type };

function counter(ctx: Context, message: Message): void {
  const command = message.asString();
  const current = ctx.storage.get(count) ?? 0;
  if (command === "inc") {
    ctx.storage.set(count, current + 1);
  } else if (command.startsWith("verify:")) {
    const round = command.slice("verify:".length);
    ctx.sendEgress(
      new GenericEgressBuilder({
        target: VERIFY_EGRESS,
        value: `${ctx.self.id}=${current}@${round}`,
        valueType: StringType,
      }),
    );
  } else {
    throw new Error(`counter ${ctx.self.id}: unknown command ${JSON.stringify(command)}`);
  }
}

export const counterSpec: StatefulFunctionSpec = {
  functionType: COUNTER,
  states: [count],
  function: counter,
};
