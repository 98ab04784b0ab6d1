// End-to-end: search the fake Opendatasoft portal (tests/fakes/opendatasoft.py) through the real datasets
// API, open a dataset, load it into a thread, and read it from the notebook.
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

test("search the catalog, open a dataset, load it into this thread and use it in the notebook", async () => {
  const res = await fetch(server.url + "/api/threads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Datasets test" }),
  });
  const thread = await res.json();
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("tab", { name: "Datasets" }).click();
  await page.getByTestId("dataset-item").first().waitFor();
  const first = page.getByTestId("dataset-item").first();
  const title = (await first.locator("div").first().textContent()).trim();
  await page.getByLabel("Search datasets").fill(title.split(/\s+/)[0]);
  await page.getByTestId("dataset-item").filter({ hasText: title }).first().click();
  const detail = page.getByTestId("dataset-detail");
  await detail.getByRole("heading", { name: title }).waitFor();
  await detail.getByTestId("data-table").nth(1).locator("tbody tr").first().waitFor(); // preview rows
  await screenshots(page, "06-datasets");
  await detail.getByRole("button", { name: "Load into this thread" }).click();
  const loaded = page.getByTestId("dataset-loaded");
  await loaded.waitFor();
  const path = (await loaded.locator("code").textContent()).trim();
  assert.match(path, /^datasets\/.+\.parquet$/);
  await screenshots(page, "06b-dataset-loaded");

  await page.getByRole("tab", { name: "Notebook" }).click();
  await page.getByLabel("Code cell").fill(`import pandas as pd\ndf = pd.read_parquet(${JSON.stringify(path)})\nprint("rows:", len(df))`);
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("notebook-cell").filter({ hasText: /rows: [1-9]/ }).waitFor();
  await context.close();
});
