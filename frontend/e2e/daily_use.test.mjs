// End-to-end, issue 19 (daily use): the items a review found without a browser test — the Datasets panel with
// the portal unreachable (words, quickly, a Retry that works once it is back) and with no result (a suggestion),
// the copy button of a code block, the Stop shortcut, the Markdown and HTML export from the Export menu, the
// lightbox's Close clear of the artifact's header, and text typed during a run kept across a reload.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
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

/** A fresh thread with one question answered (the analyst's turns as the fake model's rules or `turns` say). */
async function askInNewThread(page, question) {
  await page.goto(server.url + "/"); // the home page has the composer: the first message starts a thread
  await page.getByLabel("Message").fill(question);
  await page.getByLabel("Message").press("Enter");
  await page.waitForURL(/\/t\/[0-9a-f-]{36}$/);
  return page.url().split("/t/")[1];
}

const boxesOverlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("daily use", () => {
  test("datasets: 0 results suggest what to try instead", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.getByRole("tab", { name: "Datasets" }).click();
    await page.getByTestId("dataset-item").first().waitFor();
    await page.getByLabel("Search datasets").fill("zzqxwv");
    await page.getByText("0 datasets").waitFor();
    const hint = page.getByTestId("datasets-none");
    await hint.waitFor();
    assert.match(await hint.textContent(), /zzqxwv/);
    assert.match(await hint.textContent(), /(fewer|shorter|other|Italian).*word/i);
    // the suggestion's button shows the whole catalog again
    await hint.getByRole("button", { name: "Show all datasets" }).click();
    await page.getByTestId("dataset-item").first().waitFor();
    assert.equal(await page.getByLabel("Search datasets").inputValue(), "");
    await context.close();
  });

  test("copy a code block of an answer: the clipboard gets the code", async () => {
    const code = 'import pandas as pd\nprint("hello from the block")';
    const res = await fetch(server.fake_llm_url + "/_script", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        turns: [{ when: { system_contains: "You are LG-Urban", user_contains: "code block" }, content: "Here it is:\n\n```python\n" + code + "\n```\n\nRun it." }],
      }),
    });
    assert.equal(res.status, 200);
    const { page, context } = await newPage(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await askInNewThread(page, "Show me a code block");
    const answer = page.getByTestId("message-assistant").filter({ hasText: "hello from the block" });
    await answer.waitFor({ timeout: 30_000 });
    const block = answer.locator("pre").filter({ hasText: "hello from the block" });
    await block.hover();
    await answer.getByRole("button", { name: "Copy code" }).click();
    await page.waitForFunction((want) => navigator.clipboard.readText().then((t) => t === want), code);
    await context.close();
  });

  test("text typed during a running answer is still there after a reload; the Stop shortcut stops the run", async () => {
    const { page, context } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await askInNewThread(page, "Run the slow analysis");
    await page.locator('[data-testid="tool-card"][data-status="running"]').waitFor();
    await page.getByLabel("Message").fill("A follow-up typed while it runs");
    await page.reload();
    await page.locator('[data-testid="tool-card"][data-status="running"]').waitFor();
    assert.equal(await page.getByLabel("Message").inputValue(), "A follow-up typed while it runs");

    await page.getByTestId("stop-run").waitFor();
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    const t0 = Date.now();
    await page.keyboard.press("Control+.");
    await page.getByRole("button", { name: "Continue" }).waitFor();
    assert.ok(Date.now() - t0 < 15_000, "the run stopped promptly");
    assert.equal(await page.locator('[data-testid="tool-card"][data-status="running"]').count(), 0);
    assert.equal(await page.getByLabel("Message").inputValue(), "A follow-up typed while it runs", "stopping keeps the draft");
    await context.close();
  });

  test("export from the Export menu: Markdown with the conversation and its files, and HTML", async () => {
    const { page, context } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await askInNewThread(page, "Please plot the bike counts");
    await page.getByText("Wednesday is the busiest").waitFor();
    await page.getByRole("button", { name: "Send" }).waitFor(); // the run is over

    const download = async (label) => {
      const link = page.getByRole("link", { name: label });
      if (!(await link.isVisible())) await page.getByText("Export", { exact: true }).click();
      const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
      return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
    };
    const md = await download("Markdown (.md)");
    assert.match(md.name, /\.md$/);
    assert.match(md.text, /## You\n\nPlease plot the bike counts/);
    assert.match(md.text, /## Analyst\n\n[^]*Wednesday is the busiest/);
    assert.match(md.text, /import matplotlib/);
    // the files the thread made, by name (links to them would expire)
    assert.match(md.text, /Files made:\n\n- `bike_counts\.png` \(image\/png, [\d,]+ bytes\)/);

    const html = await download("HTML report (.html)");
    assert.match(html.name, /\.html$/);
    assert.match(html.text, /^<!doctype html>/i);
    assert.match(html.text, /Please plot the bike counts/);
    assert.match(html.text, /Wednesday is the busiest/);
    await context.close();
  });

  for (const width of [1280, 390]) {
    test(`the lightbox's Close does not cover the artifact's header at ${width} px; Escape closes the lightbox only`, async () => {
      const { page, context } = await newPage(browser);
      context.setDefaultTimeout(60_000);
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await askInNewThread(page, "Please plot the busiest day");
      await page.getByRole("button", { name: "Send" }).waitFor(); // the run is over
      await page.getByRole("tab", { name: "Gallery" }).click();
      await page.getByTestId("gallery-item").first().getByRole("button").first().click();
      const lightbox = page.getByTestId("lightbox");
      await lightbox.waitFor();
      const close = await lightbox.getByRole("button", { name: "✕ Close" }).boundingBox();
      const header = await lightbox.getByTestId("artifact").locator("figcaption").boundingBox();
      assert.ok(close && header, "both are on screen");
      assert.ok(!boxesOverlap(close, header), `Close ${JSON.stringify(close)} overlaps the header ${JSON.stringify(header)}`);
      assert.ok(close.x >= 0 && close.x + close.width <= width, "Close is inside the screen");
      // Escape closes the lightbox, and only it: the gallery (a sheet at 390 px) stays open under it
      await page.keyboard.press("Escape");
      await lightbox.waitFor({ state: "detached" });
      await page.getByTestId("gallery-item").first().waitFor();
      if (width === 390) assert.equal(await page.getByTestId("sheet").count(), 1, "the gallery sheet is still open");
      await context.close();
    });
  }
});

describe("datasets with the portal unreachable", () => {
  let down;
  before(async () => {
    down = await startServer(["--portal-down"]);
  });
  after(async () => {
    await down?.stop();
  });

  test("the panel says what happened in words, quickly, and Retry works once the portal is back", async () => {
    const { page, context } = await newPage(browser);
    await page.goto(down.url + "/");
    const t0 = Date.now();
    await page.getByRole("tab", { name: "Datasets" }).click();
    const alert = page.getByTestId("datasets").getByRole("alert");
    await alert.waitFor();
    const seconds = (Date.now() - t0) / 1000;
    console.log(`portal unreachable: error shown after ${seconds.toFixed(1)} s`);
    assert.ok(seconds < 4, `the error took ${seconds.toFixed(1)} s`);
    const text = await alert.textContent();
    assert.match(text, /open-data portal/i);
    assert.doesNotMatch(text, /ConnectError|Errno|attempts|Name or service/);
    assert.equal(await page.getByText("Searching…").count(), 0);

    await down.command("portal up", "portal");
    await alert.getByRole("button", { name: "Retry" }).click();
    await page.getByTestId("dataset-item").first().waitFor();
    assert.equal(await alert.count(), 0, "the error is gone");
    await context.close();
  });
});
