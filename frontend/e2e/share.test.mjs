// End-to-end, issue 19: share a conversation as a read-only link, open it in another browser context,
// stop sharing and see the link say so.
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

describe("share", () => {
  test("Share makes a read-only link; Stop sharing ends it", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByTestId("new-thread").click();
    await page.getByLabel("Message").fill("Hello, a question to share");
    await page.getByLabel("Message").press("Enter");
    await page.getByText("I am a scripted model").waitFor();

    await page.getByText("Share", { exact: true }).click();
    await page.getByRole("button", { name: "Create link" }).click();
    const link = await page.getByLabel("Shared link").inputValue();
    await screenshots(page, "22-share-menu");
    assert.match(link, new RegExp(`^${server.url}/s/[0-9a-f]{32}\\.[0-9a-f]{32}$`));

    const other = await newPage(browser);
    await other.page.goto(link);
    await other.page.getByTestId("message-user").getByText("Hello, a question to share").waitFor();
    await other.page.getByText("I am a scripted model").waitFor();
    assert.equal(await other.page.getByLabel("Message").count(), 0, "no composer on a shared page");
    await screenshots(other.page, "23-shared-page");
    assert.equal(await other.page.getByRole("button", { name: "Edit" }).count(), 0);

    await page.getByRole("button", { name: "Stop sharing" }).click();
    await page.getByRole("button", { name: "Create link" }).waitFor();
    await other.page.reload();
    await other.page.getByText("The owner stopped sharing this conversation").waitFor();
    await other.context.close();
    await context.close();
  });
});
