// End-to-end (issue 19): the sidebar search finds a word of a message and shows where, the hit marked.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, newPage, screenshots, startServer } from "./harness.mjs";

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

describe("thread search", () => {
  test("a word of a message finds its thread, with the snippet under the title", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
    await page.getByLabel("Message").fill("How many bike counters are there in Navile?");
    await page.getByLabel("Message").press("Enter");
    await page.waitForURL(/\/t\/[0-9a-f-]{36}$/);
    const item = page.getByTestId("thread-item").first();
    await item.waitFor();
    await item.hover();
    await item.getByRole("button", { name: "Rename" }).click();
    await page.getByLabel("Thread title").fill("Counters");
    await page.getByLabel("Thread title").press("Enter");
    await page.getByTestId("thread-title").filter({ hasText: "Counters" }).waitFor();

    await page.getByLabel("Search threads").fill("NAVI");
    const match = page.getByTestId("thread-match");
    await match.waitFor();
    assert.match(await match.textContent(), /How many bike counters are there in Navile\?/);
    assert.equal(await match.locator("mark").textContent(), "Navile");
    await screenshots(page, "search-snippet");
    await page.getByLabel("Search threads").fill('"navile" (*:');
    await match.waitFor(); // FTS syntax is plain words: still the same thread, never an error
    assert.equal(await page.getByTestId("thread-item").count(), 1);
    await context.close();
  });
});
