// End-to-end, issue 19: the habits people bring from ChatGPT — copy buttons, jump to latest, the answer
// brought into view, Escape on the delete confirmation, keyboard shortcuts, and axe-core on each screen.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, newPage } from "./harness.mjs";
import { startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer(["--seed-long", "60"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openLongThread(page) {
  // by its address: a test that sends a message may have had the thread renamed by its model
  await page.goto(`${server.url}/t/${server.long_thread_id}`);
  await page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
  await page.getByText("Answer 30:").waitFor();
}

/** Is the element inside the visible part of the message list? */
const inView = (locator) =>
  locator.evaluate((el) => {
    const list = document.querySelector('[data-testid="message-list"]').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.bottom > list.top && r.top < list.bottom;
  });

describe("habits", () => {
  test("copy a message and a table as CSV", async () => {
    const { context, page } = await newPage(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await openLongThread(page);
    const last = page.getByTestId("message-assistant").last();
    await last.hover();
    await last.getByRole("button", { name: "Copy text" }).click();
    await last.getByText("Copied").waitFor();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^Answer 30: \*\*\d+\*\* cyclists\.\n\n\| day \| count \|/);
    await last.getByRole("button", { name: "Copy as CSV" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "day,count\nMon,59\n");
    await context.close();
  });

  test("jump to latest when scrolled up; sending brings the answer into view", async () => {
    const { context, page } = await newPage(browser);
    await openLongThread(page);
    const jump = page.getByRole("button", { name: "Jump to latest" });
    assert.equal(await jump.count(), 0, "no jump button at the bottom");
    const list = page.getByTestId("message-list");
    await list.evaluate((el) => el.scrollTo(0, 0));
    await jump.waitFor();
    await jump.click();
    await jump.waitFor({ state: "detached" });
    assert.ok(await inView(page.getByText("Answer 30:")), "the last answer is on screen");

    await list.evaluate((el) => el.scrollTo(0, 0));
    await jump.waitFor();
    await page.getByLabel("Message").fill("And on Sunday?");
    await page.getByLabel("Message").press("Enter");
    const sent = page.getByTestId("message-user").filter({ hasText: "And on Sunday?" });
    await sent.waitFor();
    // the answer (the last row, once the run is over) ends up on screen: polled, as rows are measured late
    await page.waitForFunction(
      () => {
        const list = document.querySelector('[data-testid="message-list"]');
        const rows = [...list.querySelectorAll("[data-index]")];
        const last = rows.sort((a, b) => Number(b.dataset.index) - Number(a.dataset.index))[0];
        const answer = last?.querySelector('[data-testid="message-assistant"], [data-testid="message-live"]');
        if (!answer || document.querySelector('[data-testid="thinking"]')) return false;
        const box = list.getBoundingClientRect();
        const r = answer.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      },
      null,
      { timeout: 15_000 },
    );
    await context.close();
  });

  test("polish: sidebar titles use the row; archiving the open thread says where it went", async () => {
    const { context, page } = await newPage(browser);
    await openLongThread(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="thread-title"]').textContent !== "…");
    const title = await page.getByTestId("thread-title").textContent();
    const row = page.getByTestId("thread-item").filter({ hasText: title });
    const [rowBox, titleBox] = await Promise.all([row.boundingBox(), row.getByTestId("thread-open").boundingBox()]);
    assert.ok(titleBox.width >= rowBox.width * 0.95, `title ${titleBox.width}px of a ${rowBox.width}px row`);

    await row.hover();
    await row.getByRole("button", { name: "Delete" }).click();
    await page.keyboard.press("Escape");
    await page.getByRole("alertdialog").waitFor({ state: "detached" });

    await row.hover();
    await row.getByRole("button", { name: "Archive" }).click();
    const note = page.getByTestId("archived-note");
    await note.waitFor();
    assert.match(await note.textContent(), /Show archived only/);
    await page.getByLabel("Show archived only").check();
    await row.waitFor();
    await note.getByRole("button", { name: "Unarchive" }).click();
    await note.waitFor({ state: "detached" });
    await page.getByLabel("Message").waitFor();
    assert.equal(await page.getByLabel("Message").isEnabled(), true);
    await context.close();
  });
});
