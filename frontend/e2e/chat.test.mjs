// End-to-end: the chat against the real server, the real agent graph and sandbox, with the fake
// OpenAI-compatible model (tests/fakes/openai_server.py, e2e rules): a message containing "plot" gets a
// code tool call that prints and saves a PNG, then a final answer; "slow" gets code that runs for a minute.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { imageLoaded, launchBrowser, newPage, screenshots, startServer } from "./harness.mjs";

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

describe("chat", () => {
  test("ask a question: streamed text, a tool card with code and output, an image artifact; reload keeps it", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByTestId("new-thread").click(); // the thread is created by its first message
    await page.getByLabel("Message").fill("Please plot the bike counts");
    await page.getByLabel("Message").press("Enter");

    await page.getByTestId("message-user").filter({ hasText: "plot the bike counts" }).waitFor();
    // the first message names the thread
    await page.getByTestId("thread-item").filter({ hasText: "Please plot the bike counts" }).waitFor();
    // while the run is live, text arrives token by token in the live row
    await page.getByTestId("message-live").waitFor();
    const card = page.getByTestId("tool-card").first();
    await card.getByText("import matplotlib").waitFor();
    await card.getByTestId("tool-output").filter({ hasText: "rows:" }).waitFor();
    await page.getByRole("button", { name: "Send" }).waitFor(); // the run is over
    // issue 15, answer first: the stored turn folds its calls into one "1 step" line; it opens on a click.
    // The figure is looked for in the opened card: the run can end (and fold the live card) between the
    // moment the image appears and the moment it is read, which a loaded CI machine hit.
    const steps = page.getByTestId("message-assistant").last().getByRole("button", { name: /1 step/ });
    await steps.waitFor();
    assert.equal(await steps.getAttribute("aria-expanded"), "false");
    await steps.click();
    const img = card.locator('[data-testid="artifact"] img[alt="bike_counts.png"]');
    await imageLoaded(page, img);
    await screenshots(page, "10-chat");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card.getByTestId("artifact").filter({ hasText: "bike_counts.png" }).getByTestId("artifact-download").click(),
    ]);
    assert.equal(download.suggestedFilename(), "bike_counts.png");
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    const answer = await page.getByTestId("message-assistant").last().textContent();
    await page.reload();
    await page.getByTestId("message-user").filter({ hasText: "plot the bike counts" }).waitFor();
    await page.getByRole("button", { name: /1 step/ }).click();
    await page.getByTestId("tool-card").first().getByText("import matplotlib").waitFor();
    await page.locator('[data-testid="artifact"] img[alt="bike_counts.png"]').waitFor();
    assert.equal(await page.getByTestId("message-assistant").last().textContent(), answer);

    await page.getByRole("tab", { name: "Gallery" }).click();
    await page.getByTestId("gallery-item").first().getByRole("button").click();
    await page.getByTestId("lightbox").waitFor();
    await screenshots(page, "11-gallery-fullscreen");
    await page.keyboard.press("Escape");
    await context.close();
  });

  test("issue 15: a figure of the answer opens the cell that printed it; the steps are folded", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByTestId("new-thread").click();
    await page.getByLabel("Message").fill("Please plot the busiest day");
    await page.getByLabel("Message").press("Enter");
    await page.getByRole("button", { name: "Send" }).waitFor({ timeout: 60_000 }); // the run is over
    const answer = page.getByTestId("message-assistant").last();
    const receipt = answer.getByTestId("receipt").filter({ hasText: "560" });
    await receipt.waitFor();
    assert.match(await receipt.getAttribute("title"), /code cell/);
    assert.equal(await answer.getByTestId("tool-card").count(), 0, "the steps are folded");
    // the opening text is before the steps, the answer after them
    await receipt.click();
    const card = answer.locator('[data-testid="tool-card"][data-execution-id]');
    await card.waitFor();
    await card.getByText("import matplotlib").waitFor();
    assert.ok(await card.isVisible(), "the cell is on screen");
    await screenshots(page, "15-receipt-opens-cell");
    await context.close();
  });

  test("the model failing shows a banner that says what to do; sending again works", async () => {
    // the next request whose last user message says "unlucky" gets a 500 from the fake provider
    const res = await fetch(server.fake_llm_url + "/_script", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ turns: [{ when: { user_contains: "unlucky" }, error: { status: 500, message: "overloaded" } }] }),
    });
    assert.equal(res.status, 200);
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByTestId("new-thread").click(); // the thread is created by its first message
    await page.getByLabel("Message").fill("An unlucky question");
    await page.getByLabel("Message").press("Enter");
    const banner = page.getByTestId("banner-error").filter({ hasText: "The model is not answering" });
    await banner.waitFor();
    // words for people: what to do, a Retry button (retrying can help here), no exception text
    await banner.getByRole("button", { name: "Retry" }).waitFor();
    assert.doesNotMatch(await banner.textContent(), /InternalServerError|Error code/);
    await screenshots(page, "14-model-error");
    await banner.getByRole("button", { name: "Dismiss" }).click();
    await page.getByLabel("Message").fill("An unlucky question, again");
    await page.getByLabel("Message").press("Enter");
    await page.getByText("I am a scripted model").waitFor();
    await context.close();
  });

  test("a reload mid-run re-attaches; stop the long run, then continue", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByTestId("new-thread").click(); // the thread is created by its first message
    await page.getByLabel("Message").fill("Run the slow analysis");
    await page.getByLabel("Message").press("Enter");
    await page.locator('[data-testid="tool-card"][data-status="running"]').waitFor();
    // a reload mid-run re-attaches to the running run: one live card, its output still growing
    await page.getByTestId("tool-output").filter({ hasText: "step 1" }).waitFor();
    await page.reload();
    const running = page.locator('[data-testid="tool-card"][data-status="running"]');
    await running.getByTestId("tool-output").filter({ hasText: "step 4" }).waitFor();
    assert.equal(await page.getByTestId("tool-card").count(), 1);
    await page.getByRole("button", { name: "■ Stop" }).waitFor();
    const t0 = Date.now();
    await page.getByRole("button", { name: "■ Stop" }).click();
    await page.getByRole("button", { name: "Continue" }).waitFor();
    assert.ok(Date.now() - t0 < 15_000, "the run stopped promptly");
    await screenshots(page, "12-stopped");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByTestId("message-user").filter({ hasText: "Continue" }).waitFor();
    await page.getByRole("button", { name: "Send" }).waitFor();
    await context.close();
  });
});
