// The inspector in a real browser (Debian's chromium through playwright-core) against `npm start`:
// what a developer sees after greeting Bob twice and Alice once. Screenshots of each view go to
// test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NpmStart, npmStart } from "./npm-start.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(import.meta.dirname, "../test-output/screenshots");
// No browser of its own, no network: Debian's chromium with the flags of the developers' guide.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let dir: string;
let app: NpmStart;
let context: BrowserContext;
let page: Page;

async function put(path: string, contentType: string, body: string): Promise<void> {
  const response = await fetch(`${app.ingressUrl}/${path}`, {
    method: "PUT",
    headers: { "Content-Type": contentType },
    body,
  });
  expect(response.status, await response.text()).toBe(202);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function view(key: string): Promise<void> {
  await page.keyboard.press("Escape");
  await page.locator("body").focus();
  await page.keyboard.press(key);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "inspector-browser-"));
  app = await npmStart({
    PORT: "0",
    STATEFUN_INGRESS_PORT: "0",
    STATEFUN_EGRESS_PORT: "0",
    STATEFUN_INSPECTOR_PORT: "0",
    STATEFUN_STATE_FILE: join(dir, "state.db"),
    DELAY_MS: String(30 * 60 * 1000),
    // This test's Nx target depends on the greeter's build; npm start's own build would rewrite
    // dist/ folders that tests of other projects, running in parallel, are reading.
    STATEFUN_START_NO_BUILD: "1",
  });
  context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1360, height: 860 },
    colorScheme: "light",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await context?.close();
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the inspector of npm start, in chromium", () => {
  it("shows the functions, and greeter/Bob with seen_count 2 after Bob is greeted twice and Alice once", async () => {
    expect(app.inspectorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await page.goto(app.inspectorUrl);
    await expect.poll(() => page.locator(".live").textContent()).toContain("live");
    const greet = (name: string) =>
      put(
        `com.example.fns/greeter/${name}`,
        "application/vnd.com.example/GreetRequest",
        JSON.stringify({ name }),
      );
    await greet("Bob");
    await greet("Bob");
    await greet("Alice");

    // Functions: greeter and inbox called, healthy (live updates, no reload).
    const functions = page.getByTestId("functions");
    await expect
      .poll(() => functions.locator("tr", { hasText: "com.example.fns/inbox" }).textContent())
      .toContain("ok");
    await expect
      .poll(() => functions.locator("tr", { hasText: "com.example.fns/greeter" }).textContent())
      .toContain("ok");
    await shot("1-functions");

    // Addresses: search by id, click through to greeter/Bob.
    await view("2");
    await page.keyboard.press("/");
    await page.keyboard.type("Bob");
    await page
      .getByTestId("addresses")
      .getByRole("link", { name: "com.example.fns/greeter/Bob" })
      .click();
    const seen = page.locator('[data-state="seen_count"]');
    await expect.poll(() => seen.locator("pre.value").textContent()).toBe("2");
    expect(await seen.textContent()).toContain("io.statefun.types/int");
    await shot("2-address-greeter-bob");

    // The inbox state: the JSON list of the last greetings.
    await page.goto(`${app.inspectorUrl}#/address/com.example.fns/inbox/Bob`);
    const recent = page.locator('[data-state="recent"]');
    await expect
      .poll(() => recent.locator("pre.value.json").textContent())
      .toContain("Hello Bob for the 2th time!");
    expect(await recent.textContent()).toContain("com.example.fns/RecentGreetings");
    await shot("3-address-inbox-bob");
  });

  it("shows the topic greetings with 3 records", async () => {
    await view("5");
    const row = page.locator('[data-topic="greetings"]');
    await expect.poll(() => row.getByTestId("record-count").textContent()).toBe("3");
    await expect.poll(() => page.getByTestId("records").locator("tbody tr").count()).toBe(3);
    expect(await page.getByTestId("records").textContent()).toContain(
      "Hello Alice for the 1th time!",
    );
    await shot("5-egress");
  });

  it("shows the message flow live, filters it, and clicks through to the address", async () => {
    await view("3");
    const flow = page.getByTestId("flow");
    await expect.poll(() => flow.getByTestId("invocation").count()).toBeGreaterThanOrEqual(6);
    await page.getByLabel("function type").fill("greeter");
    await page.getByLabel("id").fill("Bob");
    await expect.poll(() => flow.getByTestId("invocation").count()).toBe(2);
    const latest = flow.getByTestId("invocation").first();
    await latest.locator("summary").click();
    const body = await latest.textContent();
    expect(body).toContain("seen_count");
    expect(body).toContain("com.example.fns/inbox/Bob");
    expect(await page.getByTestId("flow-bound").textContent()).toContain("keeps the last 500");
    await shot("4-flow");
    await latest.getByRole("link", { name: "com.example.fns/greeter/Bob" }).first().click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("com.example.fns/greeter/Bob");
  });

  it("shows a pending delayed message, then its cancellation", async () => {
    await put("com.example.fns/delayed/Bob", "text/plain", "later");
    await view("4");
    const table = page.getByTestId("delayed");
    const pending = table.locator('tr[data-status="pending"]');
    await expect.poll(() => pending.count()).toBe(1);
    expect(await pending.textContent()).toContain("reply-to:com.example.fns/inbox:Bob");
    expect(await pending.textContent()).toContain("in 30 min");
    await shot("6-delayed-pending");
    await put("com.example.fns/delayed/Bob", "text/plain", "cancel");
    await expect.poll(() => table.locator('tr[data-status="cancelled"]').count()).toBe(1);
    expect(await pending.count()).toBe(0);
    expect(await table.locator('tr[data-status="cancelled"]').textContent()).toContain("cancelled");
    await shot("7-delayed-cancelled");
  });

  it("shows a dead letter for an unserved type with its reason, replays it, and drops it", async () => {
    // com.example.fns/* routes it to the greeter's service, which serves no such function (404).
    await put("com.example.fns/nobody/Zed", "text/plain", "hello?");
    await expect
      .poll(() => page.getByTestId("dead-letter-count").textContent(), { timeout: 30_000 })
      .toBe("1");
    await view("6");
    const rows = page.getByTestId("dead-letters").locator("tr[data-dead-letter]");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("com.example.fns/nobody/Zed");
    expect(await rows.first().getByTestId("dead-letter-reason").textContent()).toContain("404");
    await shot("8-dead-letters");
    // Replay: back in the queue; still unserved, so it comes back as a new dead letter.
    const first = await rows.first().getAttribute("data-dead-letter");
    await rows.first().getByRole("button", { name: "Replay" }).click();
    await expect
      .poll(() => page.getByRole("status").last().textContent())
      .toContain("back in the queue");
    await expect
      .poll(
        async () =>
          (await rows.count()) === 1 &&
          (await rows.first().getAttribute("data-dead-letter")) !== first,
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    // Drop, confirmed.
    await rows.first().getByRole("button", { name: "Drop…" }).click();
    await rows
      .first()
      .getByRole("button", { name: /Drop #\d+ for good/ })
      .click();
    await expect.poll(() => rows.count()).toBe(0);
    expect(await page.getByTestId("dead-letters").textContent()).toContain("No dead letter.");
    await expect.poll(() => page.getByTestId("dead-letter-count").count()).toBe(0);
  });

  it("refuses invalid JSON in the send form, naming the JSON pointer, and sends a valid value", async () => {
    await view("7");
    const form = page.getByTestId("send-form");
    await form.getByLabel("function type").fill("com.example.fns/greeter");
    await form.getByLabel("id").fill("Carol");
    await form.getByLabel("value type").selectOption("com.example/GreetRequest");
    await form.locator('textarea[name="value"]').fill('{ "name": 42, "nickname": "C" }');
    await form.getByRole("button", { name: /Send/ }).click();
    const problems = page.getByTestId("violations");
    await expect.poll(() => problems.textContent()).toContain("/name");
    expect(await problems.textContent()).toContain("/nickname");
    expect(await page.getByTestId("send-result").textContent()).toBe("");
    await shot("9-send-invalid");
    await form.locator('textarea[name="value"]').fill('{ "name": "Carol" }');
    await form.locator('textarea[name="value"]').press("Control+Enter");
    await expect.poll(() => page.getByTestId("send-result").textContent()).toContain("Accepted");
    await page.getByTestId("send-result").getByRole("link").click();
    await expect
      .poll(() => page.locator('[data-state="seen_count"] pre.value').textContent())
      .toBe("1");
  });

  it("looks right in the dark too", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${app.inspectorUrl}#/address/com.example.fns/greeter/Bob`);
    await expect
      .poll(() => page.locator('[data-state="seen_count"] pre.value').textContent())
      .toBe("2");
    await shot("10-dark-address");
    await page.emulateMedia({ colorScheme: "light" });
  });
});
