// End-to-end: the Notebook panel runs Python in the thread's real sandbox, without any model.
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

test("run cells in the notebook panel; variables persist; errors are shown", async () => {
  const res = await fetch(server.url + "/api/threads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Notebook test" }),
  });
  const thread = await res.json();
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000); // the first cell starts the sandbox
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("tab", { name: "Notebook" }).click();

  const cell = page.getByLabel("Code cell");
  await cell.fill("x = 6 * 7\nprint('the answer is', x)");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("notebook-cell").filter({ hasText: "the answer is 42" }).waitFor();

  await cell.fill("x + 1");
  await cell.press("Shift+Enter");
  await page.getByTestId("notebook-cell").nth(1).getByText("43").waitFor();

  await cell.fill("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const plot = page.getByTestId("notebook-cell").nth(2).locator("img");
  await plot.waitFor();
  assert.ok(await plot.evaluate((img) => img.complete && img.naturalWidth > 100), "the figure is a real image");

  await cell.fill("1 / 0");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("notebook-cell").nth(3).getByTestId("cell-error").filter({ hasText: "ZeroDivisionError" }).waitFor();
  await screenshots(page, "05-notebook");

  // the cells are kept: a reload shows them in order
  await page.reload();
  await page.getByRole("tab", { name: "Notebook" }).click();
  await page.getByTestId("notebook-cell").nth(3).waitFor();
  const cells = await page.getByTestId("notebook-cell").allTextContents();
  assert.equal(cells.length, 4);
  assert.match(cells[0], /the answer is 42/);
  await context.close();
});
