// End-to-end (issue 19): the app on a phone (390×844) and a small tablet (768×1024): the sidebar is a drawer
// behind "Menu", panels are full-screen sheets, the message box keeps the width, touch targets are 44 px.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { launchBrowser, SHOTS, startServer } from "./harness.mjs";

const SCREENS = process.env.E2E_SCREENS || join(SHOTS, "mobile"); // beside the other screenshots (git-ignored)
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(SCREENS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(width, height) {
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: width <= 768 });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return { context, page };
}

async function shoot(page, name) {
  for (const scheme of ["light", "dark"]) {
    await page.evaluate((s) => document.documentElement.classList.toggle("dark", s === "dark"), scheme);
    await page.waitForTimeout(50);
    await page.screenshot({ path: join(SCREENS, `${name}-${scheme}.png`) });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
}

async function box(locator) {
  const b = await locator.boundingBox();
  assert.ok(b, "element is not visible");
  return b;
}

/** Every visible button in `scope` is at least 44×44 px. */
async function assertTouchTargets(page, selector) {
  const small = await page.evaluate((sel) => {
    const out = [];
    for (const el of document.querySelectorAll(`${sel} button, ${sel} [role=tab], ${sel} input[type=search]`)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.height < 44 || r.width < 44) out.push(`${el.getAttribute("aria-label") || el.textContent.trim()} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  }, selector);
  assert.deepEqual(small, [], `touch targets under 44 px in ${selector}`);
}

describe("narrow screens", () => {
  test("390×844: Menu opens the thread drawer; the composer keeps ≥ 90 % of the width; panels are sheets", async () => {
    await fetch(server.url + "/api/threads", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title: "Air quality" }) });
    const { context, page } = await open(390, 844);
    await page.goto(server.url + "/");
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.waitFor();
    assert.equal(await page.getByTestId("new-thread").count(), 0, "the drawer is closed by default");
    const text = await box(page.getByLabel("Message"));
    assert.ok(text.width >= 0.9 * 390, `message box is ${text.width} px wide`);
    await assertTouchTargets(page, "main header");
    await assertTouchTargets(page, '[data-testid="composer"]');
    await shoot(page, "390-home");

    await menu.click();
    await page.getByTestId("new-thread").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "new-thread", "focus moves into the drawer");
    await assertTouchTargets(page, '[data-testid="drawer"]');
    await shoot(page, "390-drawer");
    await page.keyboard.press("Escape");
    await page.getByTestId("drawer").waitFor({ state: "detached" });
    await menu.click();
    await page.getByTestId("drawer-backdrop").click({ position: { x: 370, y: 400 } });
    await page.getByTestId("drawer").waitFor({ state: "detached" });
    await menu.click();
    await page.getByTestId("thread-item").filter({ hasText: "Air quality" }).getByRole("button").first().click();
    await page.getByTestId("drawer").waitFor({ state: "detached" });
    await page.getByTestId("thread-title").filter({ hasText: "Air quality" }).waitFor();

    await page.getByLabel("Message").fill("Hello from a phone");
    await page.getByLabel("Message").press("Enter");
    await page.getByText("I am a scripted model").waitFor();
    assert.ok((await box(page.getByLabel("Message"))).width >= 0.9 * 390);
    await shoot(page, "390-thread");

    await page.getByRole("tab", { name: "Datasets" }).click();
    const sheet = page.getByRole("dialog", { name: "Datasets" });
    await sheet.waitFor();
    const s = await box(sheet);
    assert.deepEqual([s.x, s.y, s.width, s.height], [0, 0, 390, 844], "the panel covers the screen");
    await page.getByTestId("dataset-item").first().waitFor();
    await assertTouchTargets(page, '[data-testid="sheet"]');
    await shoot(page, "390-datasets");
    await sheet.getByRole("button", { name: "Close" }).click();
    await sheet.waitFor({ state: "detached" });
    await page.getByRole("tab", { name: "Notebook" }).click();
    await page.getByTestId("notebook").waitFor();
    await assertTouchTargets(page, '[data-testid="sheet"]');
    await shoot(page, "390-notebook");
    await page.getByRole("dialog", { name: "Notebook" }).getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog", { name: "Notebook" }).waitFor({ state: "detached" });
    await context.close();
  });

  test("768×1024 is narrow too; 1280×800 keeps the sidebar", async () => {
    const tablet = await open(768, 1024);
    await tablet.page.goto(server.url + "/");
    await tablet.page.getByRole("button", { name: "Menu" }).waitFor();
    assert.ok((await box(tablet.page.getByLabel("Message"))).width >= 0.9 * 768);
    await shoot(tablet.page, "768-home");
    await tablet.context.close();

    const desk = await open(1280, 800);
    await desk.page.goto(server.url + "/");
    await desk.page.getByTestId("new-thread").waitFor();
    assert.equal(await desk.page.getByRole("button", { name: "Menu" }).count(), 0);
    await shoot(desk.page, "1280-home");
    await desk.page.getByTestId("thread-item").first().getByRole("button").first().click();
    await desk.page.getByTestId("message-user").first().waitFor();
    await shoot(desk.page, "1280-thread");
    await desk.context.close();
  });
});
