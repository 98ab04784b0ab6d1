// End-to-end (issue 19): the keyboard shortcuts of the `?` sheet do what it says, in Chromium — search
// (Ctrl+K), focus the message box (`/`, Shift+Esc, not while typing elsewhere), a new thread (Ctrl+Shift+O)
// and the sheet itself (Ctrl+/ and `?`). Stop (Ctrl+.) is covered by Vitest (issue19b.test.tsx).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");

/** Ctrl+K focuses the search in the next animation frame (App.tsx): wait for the focus (5 s), then say
 * where it is. Read at once, the CI run on a loaded machine found it still on the page. */
async function expectFocus(page, label) {
  await page
    .waitForFunction((l) => document.activeElement?.getAttribute("aria-label") === l, label, { timeout: 5000 })
    .catch(() => {});
  assert.equal(await focused(page), label);
}

describe("keyboard shortcuts", () => {
  test("Ctrl+K searches, / and Shift+Esc focus the message box, Ctrl+Shift+O starts a thread, Ctrl+/ shows the sheet", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
    await page.getByLabel("Message").fill("How many bike counters are there in Navile?");
    await page.getByLabel("Message").press("Enter");
    await page.waitForURL(/\/t\/[0-9a-f-]{36}$/);
    const threadUrl = page.url();
    // the answer is over before the shortcuts are tried (nothing re-renders under them)
    await page.getByTestId("message-assistant").first().waitFor();
    await page.getByRole("button", { name: "Send" }).waitFor();

    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Control+k");
    await expectFocus(page, "Search threads");
    await page.keyboard.type("/navi"); // typing in a field: `/` is a character there, not a shortcut
    assert.equal(await page.getByLabel("Search threads").inputValue(), "/navi");
    await page.getByLabel("Search threads").fill("");
    await page.keyboard.press("Shift+Escape");
    await expectFocus(page, "Message");

    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("/");
    await expectFocus(page, "Message");
    assert.equal(await page.getByLabel("Message").inputValue(), "", "the `/` itself is not typed");

    await page.keyboard.press("Control+Shift+O");
    await page.waitForURL((url) => url.href !== threadUrl);
    await page.getByLabel("Message").waitFor();
    assert.equal(await page.getByTestId("thread-item").count(), 1, "no empty thread is saved");

    await page.keyboard.press("Control+/");
    const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await sheet.waitFor();
    for (const label of ["New thread", "Focus the message box", "Stop the running answer", "Search threads and messages"]) {
      await sheet.getByText(label).waitFor();
    }
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    await context.close();
  });
});
