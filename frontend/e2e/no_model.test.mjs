// End-to-end: a server with no model provider configured. The chat says what to set; the notebook still works.
import { after, before, test } from "node:test";
import { launchBrowser, newPage, screenshots, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer(["--no-llm"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("no model configured: a banner names the settings to set", async () => {
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(30_000);
  await page.goto(server.url + "/");
  await page.getByTestId("new-thread").click();
  await page.waitForURL(/\/t\/[0-9a-f-]{36}$/);
  await page.getByLabel("Message").fill("Hello?");
  await page.getByLabel("Message").press("Enter");
  const banner = page.getByTestId("banner-error").filter({ hasText: "No language model is configured" });
  await banner.waitFor();
  await banner.getByText("OPENAI_API_KEY").first().waitFor();
  await screenshots(page, "15-no-model");
  await context.close();
});
