// Messages to function types the environment does not serve are collected, not delivered, so a
// test can check what a function sends to the rest of the application.
import {
  type Context,
  Int32Type,
  makeJsonType,
  type StatefulFunctionSpec,
  StringType,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createTestEnvironment, type TestEnvironment, TestEnvironmentError } from "./index.js";

const ORDERS = typeNameFrom("com.example.fns/orders");
const AUDIT = typeNameFrom("com.example.audit/log");
const BILLING = typeNameFrom("com.example.billing/invoice");

interface Order {
  readonly item: string;
  readonly quantity: number;
}
const OrderType = makeJsonType<Order>(typeNameFrom("com.example/Order"));

const orders: StatefulFunctionSpec = {
  functionType: ORDERS,
  function: (ctx: Context, message) => {
    const order = message.as(OrderType);
    ctx.send({ target: { functionType: AUDIT, id: ctx.self.id }, value: `ordered ${order.item}` });
    ctx.sendAfter(60_000, {
      target: { functionType: BILLING, id: ctx.self.id },
      value: order.quantity,
      valueType: Int32Type,
    });
  },
};

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("messages to function types that are not served", () => {
  it("collects them with their sender, delayed ones once they are due", async () => {
    env = await createTestEnvironment({ functions: [orders] });
    await env.send({
      target: { functionType: ORDERS, id: "o-1" },
      value: { item: "tea", quantity: 3 },
      valueType: OrderType,
    });

    const audit = env.sentTo(AUDIT);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.target.id).toBe("o-1");
    expect(audit[0]?.caller?.functionType.toString()).toBe("com.example.fns/orders");
    expect(audit[0]?.caller?.id).toBe("o-1");
    expect(audit[0]?.message.as(StringType)).toBe("ordered tea");

    expect(env.sentTo("com.example.billing/invoice")).toEqual([]);
    await env.advance(60_000);
    const billing = env.sentTo(BILLING);
    expect(billing.map((m) => m.message.as(Int32Type))).toEqual([3]);
    expect(env.sentTo("com.example.nobody/none")).toEqual([]);
  });

  it("refuses to send to an unserved type or to list a served one", async () => {
    env = await createTestEnvironment({ functions: [orders] });
    await expect(
      env.send({ target: { functionType: AUDIT, id: "x" }, value: "hi" }),
    ).rejects.toThrow(
      /send to com.example.audit\/log: no function under test serves that type \(served: com.example.fns\/orders\)/,
    );
    expect(() => env?.sentTo(ORDERS)).toThrow(TestEnvironmentError);
  });
});
