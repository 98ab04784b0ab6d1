// End-to-end (issue 19): errors written for people. A key the provider refuses says so and offers "Open settings"
// (retrying cannot fix a key); a settings value out of range names the field in words and the allowed range.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
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

test("a refused API key: what happened, Open settings, no Retry, no exception text", async () => {
  const res = await fetch(server.fake_llm_url + "/_script", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ turns: [{ when: { user_contains: "badkey" }, error: { status: 401, message: "Incorrect API key provided: sk-fake" } }] }),
  });
  assert.equal(res.status, 200);
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(30_000);
  await page.goto(server.url + "/");
  await page.getByLabel("Message").fill("A badkey question");
  await page.getByLabel("Message").press("Enter");
  const banner = page.getByTestId("banner-error").filter({ hasText: "refused the API key" });
  await banner.waitFor();
  const text = await banner.textContent();
  assert.doesNotMatch(text, /AuthenticationError|Error code|send again to retry|Try again in a moment/);
  assert.equal(await banner.getByRole("button", { name: "Retry" }).count(), 0);
  await screenshots(page, "16-bad-key");
  await banner.getByRole("button", { name: "Open settings" }).click();
  await page.getByRole("dialog", { name: "Thread settings" }).waitFor();
  await context.close();
});

test("a context window out of range names the field and the range, not body.config.context_window", async () => {
  const { context, page } = await newPage(browser);
  await page.goto(server.url + "/");
  await page.getByLabel("Message").fill("Hello");
  await page.getByLabel("Message").press("Enter");
  await page.waitForURL(/\/t\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "Thread settings" }).click();
  await page.getByLabel("Context window").fill("100");
  await page.getByRole("button", { name: "Save" }).click();
  const dialog = page.getByRole("dialog", { name: "Thread settings" });
  await dialog.getByText("Context window must be at least 1,024.").waitFor();
  assert.doesNotMatch(await dialog.textContent(), /body\.config|Input should/);
  await screenshots(page, "17-settings-validation");
  await context.close();
});
