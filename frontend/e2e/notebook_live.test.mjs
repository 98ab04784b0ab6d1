// End-to-end (issue 14, the Notebook panel): output streams while a cell runs, Interrupt stops a long cell
// (variables kept), Restart asks first, a CSV uploaded from the panel is read in a cell; no model involved.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, recordFigure, screenshots, startServer } from "./harness.mjs";

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

async function newThread(title) {
  const res = await fetch(server.url + "/api/threads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title }),
  });
  return res.json();
}

/** Put a file in the thread's workspace through the API (the test's hand on a waiting cell). */
async function putFile(threadId, path) {
  const form = new FormData();
  form.append("file", new Blob([""]), "go");
  form.append("path", path);
  const res = await fetch(`${server.url}/api/threads/${threadId}/files`, { method: "POST", body: form });
  assert.equal(res.status, 201, await res.text());
}

test("streamed output, Interrupt, Restart after confirming, an uploaded CSV read in a cell", async () => {
  const thread = await newThread("Live notebook");
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000); // the first cell starts the sandbox
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("tab", { name: "Notebook" }).click();
  const cell = page.getByLabel("Code cell");
  const cells = page.getByTestId("notebook-cell");

  // 1. the first line shows while the cell still waits (for a file only this test writes)
  await cell.fill("import os, time\nprint('first', flush=True)\nwhile not os.path.exists('go'):\n    time.sleep(0.05)\nprint('second')");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("cell-live").filter({ hasText: "first" }).waitFor();
  assert.equal(await page.getByTestId("cell-running").count(), 1, "the cell is still running");
  assert.doesNotMatch(await page.getByTestId("cell-live").textContent(), /second/);
  await screenshots(page, "14-notebook-streaming");
  await putFile(thread.id, "go");
  await cells.filter({ hasText: "second" }).waitFor();

  // 2. Interrupt a long cell: it says so, and the next cell runs at once with the earlier variables
  await cell.fill("y = 21\nprint('sleeping', flush=True)\nimport time\ntime.sleep(60)");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("cell-live").filter({ hasText: "sleeping" }).waitFor();
  const started = Date.now();
  await page.getByRole("button", { name: "■ Interrupt" }).click();
  await page.getByTestId("cell-interrupted").filter({ hasText: "Interrupted" }).waitFor();
  await cell.fill("y * 2");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await cells.filter({ hasText: "y * 2" }).getByText("42", { exact: true }).waitFor();
  const took = Date.now() - started;
  recordFigure("notebook_interrupt_to_next_cell_ms", took, "< 5000");
  assert.ok(took < 5000, `the cell after an interrupt answered after ${took} ms`);
  await cell.fill("");
  await cell.fill("print('again', flush=True)\nimport time\ntime.sleep(60)");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("cell-live").filter({ hasText: "again" }).waitFor();
  await screenshots(page, "14-notebook-running");
  await page.getByRole("button", { name: "■ Interrupt" }).click();
  await page.getByTestId("cell-interrupted").waitFor();
  await screenshots(page, "14-notebook-interrupted");

  // 3. long output is capped to a scrollable box
  await cell.fill("for i in range(400):\n    print('row', i)");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const long = cells.filter({ hasText: "row 399" }).getByTestId("cell-stdout");
  await long.waitFor();
  const { scrollHeight, clientHeight } = await long.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
  assert.ok(clientHeight <= 260 && scrollHeight > 2 * clientHeight, `stdout box ${clientHeight}/${scrollHeight} px`);

  // 4. Restart asks first: Escape keeps the variables, Restart clears them
  await page.getByRole("button", { name: "Restart sandbox" }).click();
  await page.getByRole("alertdialog", { name: "Restart the sandbox?" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("alertdialog").waitFor({ state: "detached" });
  await cell.fill("y + 1");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await cells.filter({ hasText: "y + 1" }).getByText("22", { exact: true }).waitFor(); // not restarted
  await page.getByRole("button", { name: "Restart sandbox" }).click();
  await screenshots(page, "14-notebook-restart-confirm");
  await page.getByRole("alertdialog").getByRole("button", { name: "Restart" }).click();
  await page.getByRole("button", { name: "Restarted ✓" }).waitFor();
  await cell.fill("y");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const error = cells.last().getByTestId("cell-error");
  await error.getByTestId("cell-error-summary").filter({ hasText: "NameError: name 'y' is not defined" }).waitFor();
  assert.equal(await error.locator("details").getAttribute("open"), null, "the traceback is folded");
  await screenshots(page, "14-notebook-error");

  // 5. a CSV uploaded from the panel shows its path and is read in a cell
  await page.getByLabel("File to upload to the workspace").setInputFiles({
    name: "quartieri.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("quartiere,residenti\nNavile,69000\nSavena,60000\n"),
  });
  await page.getByTestId("notebook-uploads").getByText("uploads/quartieri.csv").waitFor();
  await cell.fill("import pandas as pd\nint(pd.read_csv('uploads/quartieri.csv')['residenti'].sum())");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await cells.filter({ hasText: "quartieri.csv" }).getByText("129000", { exact: true }).waitFor();
  await screenshots(page, "14-notebook-upload");
  await context.close();

  // the same panel on a phone
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  phone.setDefaultTimeout(60_000);
  const small = await phone.newPage();
  await small.goto(`${server.url}/t/${thread.id}`);
  await small.getByRole("tab", { name: "Notebook" }).click();
  await small.getByRole("dialog", { name: "Notebook" }).getByTestId("cell-error").waitFor();
  await small.getByRole("button", { name: "Restart sandbox" }).click();
  await small.getByRole("alertdialog").waitFor();
  await small.getByLabel("Code cell").scrollIntoViewIfNeeded();
  await screenshots(small, "14-notebook-390");
  await phone.close();
});
