// End-to-end: the Notebook panel runs Python in the thread's real sandbox, without any model.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
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
  await page.getByTestId("notebook-cell").nth(2).getByTestId("artifact").waitFor(); // plt.show() → a stored figure
  assert.equal(await plot.count(), 1, "the figure is shown once");
  await imageLoaded(page, plot, 101); // a real figure, not a broken-image icon

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

test("files a cell writes under artifacts/ are shown, downloadable and in the gallery", async () => {
  const res = await fetch(server.url + "/api/threads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Artifacts test" }),
  });
  const thread = await res.json();
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("tab", { name: "Notebook" }).click();
  await page.getByLabel("Code cell").fill(
    [
      "import matplotlib",
      "matplotlib.use('Agg')",
      "import matplotlib.pyplot as plt",
      "fig, ax = plt.subplots()",
      "ax.bar(['Mon', 'Tue', 'Wed'], [120, 340, 560])",
      "fig.savefig('artifacts/counts.png')",
      "plt.close(fig)",
      "import pandas as pd",
      "pd.DataFrame({'day': ['Mon', 'Tue'], 'count': [120, 340]}).to_parquet('artifacts/counts.parquet')",
      "open('artifacts/counts.csv', 'w').write('day,count\\nMon,120\\nTue,340\\nWed,560\\n')",
      "open('artifacts/map.html', 'w').write('<h1 id=t>map</h1><script>document.getElementById(\"t\").textContent = \"scripted \" + (function(){try{return String(window.parent.document.title)}catch(e){return \"blocked\"}})()</script>')",
    ].join("\n"),
  );
  await page.getByRole("button", { name: "▶ Run" }).click();
  const cell = page.getByTestId("notebook-cell").first();
  const img = cell.locator('[data-testid="artifact"] img');
  await imageLoaded(page, img, 101); // the PNG artifact loads

  // CSV: parsed in the browser into a table
  await cell.getByTestId("data-table").getByText("560").waitFor();

  // HTML: runs its script, but in an opaque origin that cannot reach the app
  const frame = cell.locator("iframe[title='map.html']");
  assert.equal(await frame.getAttribute("sandbox"), "allow-scripts allow-popups");
  await frame.contentFrame().getByText("scripted blocked").waitFor();

  // Parquet: previewed by a cell in the sandbox, shown as the DataFrame's table
  const parquet = cell.locator('[data-testid="artifact"]').filter({ hasText: "counts.parquet" });
  await parquet.getByRole("button", { name: "Preview the first rows" }).click();
  await parquet.getByTestId("data-table").getByText("340").waitFor();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    cell.locator('[data-testid="artifact"]').filter({ hasText: "counts.png" }).getByTestId("artifact-download").click(),
  ]);
  assert.equal(download.suggestedFilename(), "counts.png");
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await screenshots(page, "07-artifacts");

  await page.getByRole("tab", { name: "Gallery" }).click();
  await page.getByTestId("gallery-item").nth(2).waitFor();
  await screenshots(page, "08-gallery");
  await page.getByTestId("gallery-item").filter({ hasText: "counts.png" }).getByRole("button").first().click();
  await page.getByTestId("lightbox").locator("img").waitFor();
  await screenshots(page, "09-fullscreen");
  await page.keyboard.press("Escape");
  await page.getByTestId("lightbox").waitFor({ state: "detached" });
  await context.close();
});
