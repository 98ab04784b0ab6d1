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
  // said up front, on the home page, before any question (issue 19)
  const upFront = page.getByTestId("banner-error").filter({ hasText: "No language model is configured" });
  await upFront.getByText("OPENAI_API_KEY").first().waitFor();
  const health = await (await fetch(server.url + "/api/health")).json();
  if (health.checks.model !== "not configured" || health.status !== "ok") throw new Error(JSON.stringify(health));
  await page.getByTestId("new-thread").click();
  await page.getByLabel("Message").fill("Hello?");
  await page.getByLabel("Message").press("Enter");
  const banner = page.getByTestId("banner-error").filter({ hasText: "No language model is configured" });
  await banner.first().waitFor();
  await banner.first().getByText("OPENAI_API_KEY").first().waitFor();
  await screenshots(page, "15-no-model");
  await context.close();
});
