// End-to-end, issue 15: "Write a report" → the report writer's draft in an approval card → Edit (a
// textarea) → Approve → a Markdown and a standalone HTML artifact in the chat; a draft still waits after a
// reload, and Reject stores nothing. Chromium against the real server, agent graph and sandbox; the fake
// model's e2e rules (tests/fakes/openai_server.py) write the analysis and the report's body.
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

async function ask(page, text) {
  await page.getByLabel("Message").fill(text);
  await page.getByLabel("Message").press("Enter");
  await page.getByTestId("message-user").filter({ hasText: text }).waitFor();
  await page.getByRole("button", { name: "Send" }).waitFor(); // the run is over
}

async function analysedThread(page) {
  await page.goto(server.url + "/");
  await page.getByTestId("new-thread").click();
  await ask(page, "Please plot the bike counts");
  await ask(page, "Write a report");
  const card = page.getByTestId("approval-card");
  await card.getByRole("heading", { name: "Bike counts report" }).waitFor();
  return card;
}

describe("reports with approval", () => {
  test("edit the draft, approve it: both artifacts appear, the HTML loads nothing from elsewhere", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    const card = await analysedThread(page);
    // the writer's own parts: the thread's chart (shown through the app's link), the code appendix
    await imageLoaded(page, card.locator('img[alt="bike_counts.png"]'));
    await card.getByText("Code appendix").waitFor();
    await screenshots(page, "40-report-approval");

    await card.getByRole("button", { name: "Edit" }).click();
    const box = card.getByRole("textbox", { name: "Report text (Markdown)" });
    assert.match(await box.inputValue(), /^# Bike counts report/);
    await box.fill("# My bike report\n\nWednesday is the busiest day, edited by hand.");
    await card.getByRole("button", { name: "Save edit" }).click();
    // asked again, with the edited text
    await page.getByTestId("approval-card").getByRole("heading", { name: "My bike report" }).waitFor();
    await page.getByTestId("approval-card").getByRole("button", { name: "Approve" }).click();

    const note = page.getByTestId("message-assistant").filter({ hasText: "The report was approved" });
    await note.waitFor();
    assert.equal(await page.getByTestId("approval-card").count(), 0);
    const files = note.getByTestId("artifact");
    await files.filter({ hasText: ".html" }).waitFor();
    assert.equal(await files.count(), 2);
    await screenshots(page, "41-report-approved");

    const [md] = await Promise.all([
      page.waitForEvent("download"),
      files.filter({ hasText: ".md" }).getByTestId("artifact-download").click(),
    ]);
    assert.match(md.suggestedFilename(), /^report-.*\.md$/);
    assert.equal(readFileSync(await md.path(), "utf8"), "# My bike report\n\nWednesday is the busiest day, edited by hand.");
    const [html] = await Promise.all([
      page.waitForEvent("download"),
      files.filter({ hasText: ".html" }).getByTestId("artifact-download").click(),
    ]);
    const page_ = readFileSync(await html.path(), "utf8");
    assert.match(page_, /<h1>My bike report<\/h1>/);
    assert.doesNotMatch(page_, /(?:src|href)="(?!data:)/);

    await page.reload();
    await page.getByTestId("message-assistant").filter({ hasText: "The report was approved" }).getByTestId("artifact").first().waitFor();
    assert.equal(await page.getByTestId("approval-card").count(), 0);
    await page.getByRole("tab", { name: "Gallery" }).click();
    await page.getByTestId("gallery-item").filter({ hasText: /report-.*\.html/ }).first().waitFor();
    await context.close();
  });

  test("a waiting draft is still there after a reload; Reject stores nothing", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await analysedThread(page);
    await page.reload();
    const card = page.getByTestId("approval-card");
    await card.getByRole("heading", { name: "Bike counts report" }).waitFor();
    await card.getByRole("button", { name: "Reject" }).click();
    await page.getByTestId("message-assistant").filter({ hasText: "rejected" }).waitFor();
    assert.equal(await page.getByTestId("approval-card").count(), 0);
    const tid = new URL(page.url()).pathname.split("/").pop();
    const listed = await page.evaluate(async (id) => (await (await fetch(`/api/threads/${id}/artifacts`)).json()).items, tid);
    assert.deepEqual(listed.map((a) => a.filename).filter((f) => f.startsWith("report-")), []);
    await context.close();
  });
});
