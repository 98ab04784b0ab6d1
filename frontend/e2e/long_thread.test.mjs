// End-to-end: a thread of 500 messages written straight into the database opens fast and stays virtualized.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, recordFigure, screenshots, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer(["--seed-long", "500"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a 500-message thread opens fast and stays virtualized", async () => {
  // measured in the page (click → last answer rendered), median of three fresh browser contexts
  const times = [];
  let context;
  let page;
  for (let i = 0; i < 3; i++) {
    if (context) await context.close();
    ({ context, page } = await newPage(browser));
    await page.goto(server.url + "/");
    await page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
    const row = page.getByTestId("thread-item").filter({ hasText: "Long thread" }).getByRole("button").first();
    await row.waitFor();
    times.push(
      await row.evaluate(
        (button) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            const seen = () => [...document.querySelectorAll('[data-testid="message-list"] p')].some((p) => p.textContent.startsWith("Answer 250:"));
            const obs = new MutationObserver(() => {
              if (seen()) {
                obs.disconnect();
                resolve(performance.now() - t0);
              }
            });
            obs.observe(document.body, { childList: true, subtree: true, characterData: true });
            button.click();
          }),
      ),
    );
  }
  const ms = Math.round(times.sort((a, b) => a - b)[1]);
  recordFigure("open_500_message_thread_ms", ms, "≤ 500");
  const rendered = await page.locator('[data-testid="message-list"] [data-index]').count();
  assert.ok(rendered < 100, `virtualized list rendered ${rendered} rows`);
  // the goal is 500 ms; the assertion leaves room for a loaded 2-core CI machine
  assert.ok(ms <= 1500, `opening took ${ms} ms`);
  await screenshots(page, "04-long-thread");
  // the top of the thread is reachable: scroll up until the first question is on screen
  const list = page.getByTestId("message-list");
  for (let i = 0; i < 50 && !(await page.getByText("Question 1:", { exact: false }).first().isVisible()); i++) {
    await list.evaluate((el) => el.scrollBy(0, -4000));
    await page.waitForTimeout(30);
  }
  await page.getByText("Question 1: how many").waitFor();
  await context.close();
});
