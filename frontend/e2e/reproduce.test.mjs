// End-to-end (issue 20): "Fork from here" under an answer opens a new thread with the conversation up to
// there; "Re-run on today's data" shows the report of what changed and opens the re-run thread. The real
// server, agent graph and sandbox; the fake model's turns scripted over HTTP.
import assert from "node:assert/strict";
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

const post = (path, body) =>
  fetch(server.url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });

const codeTurn = (code, answer) => [
  { when: { has_tools: true }, tool_calls: [{ name: "execute_code", args: { code } }] },
  { when: { has_tools: true }, content: answer },
];

test("fork from a middle answer: a new thread with the conversation up to there", async () => {
  const script = { turns: [...codeTurn("x = 41", "Answer one."), ...codeTurn("x = x + 1", "Answer two.")] };
  assert.equal((await fetch(server.fake_llm_url + "/_script", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(script) })).status, 200);
  const thread = await (await post("/api/threads", { title: "Fork me" })).json();
  for (const content of ["Question one?", "Question two?"]) {
    const r = await post(`/api/threads/${thread.id}/messages`, { content });
    assert.equal(r.status, 200);
    await r.text(); // the whole run
  }
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(`${server.url}/t/${thread.id}`);
  const answer = page.getByTestId("message-assistant").filter({ hasText: "Answer one." });
  await answer.getByRole("button", { name: "Fork from here" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/t/") && !url.pathname.includes(thread.id));
  await page.getByTestId("thread-title").filter({ hasText: "Fork me (fork)" }).waitFor();
  await page.getByTestId("message-assistant").filter({ hasText: "Answer one." }).waitFor();
  assert.equal(await page.getByText("Question two?").count(), 0, "the fork stops at the answer forked from");
  await screenshots(page, "20-forked");
  await context.close();
});

test("re-run on today's data: the report, then the re-run thread", async () => {
  const thread = await (await post("/api/threads", { title: "Re-run me" })).json();
  for (const code of ["x = 6 * 7", "print('the answer is', x)"]) {
    assert.equal((await post(`/api/threads/${thread.id}/execute`, { code })).status, 200);
  }
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("button", { name: "Re-run on today's data" }).click();
  const dialog = page.getByRole("dialog", { name: "Re-run: no change" });
  await dialog.getByTestId("rerun-report").filter({ hasText: "Every cell showed the same output" }).waitFor();
  await screenshots(page, "21-rerun-report");
  await dialog.getByRole("button", { name: "Open the re-run thread" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/t/") && !url.pathname.includes(thread.id));
  await page.getByTestId("message-assistant").filter({ hasText: "No change" }).waitFor();
  await page.getByTestId("thread-title").filter({ hasText: "Re-run me (re-run" }).waitFor();
  // at phone width the header still holds it: the button is there, nothing scrolls sideways
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole("button", { name: "Re-run on today's data" }).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no horizontal scroll at 390 px");
  await screenshots(page, "22-rerun-390");
  await context.close();
});

test("an artifact says where it came from: its cell and the dataset version; the HTML export loads nothing from elsewhere", async () => {
  const thread = await (await post("/api/threads", { title: "Provenance" })).json();
  assert.equal((await post(`/api/threads/${thread.id}/datasets`, { dataset_id: "incidenti-stradali-quartieri" })).status, 200);
  const code = [
    "import pandas as pd, matplotlib.pyplot as plt",
    "d = pd.read_parquet('datasets/incidenti-stradali-quartieri.parquet')",
    "d.groupby('quartiere')['numero_incidenti'].sum().plot.bar()",
    "plt.savefig('artifacts/by_district.png')", // left open: also the cell's inline figure
  ].join("\n");
  const run = await post(`/api/threads/${thread.id}/execute`, { code });
  assert.equal(run.status, 200);
  assert.ok((await run.json()).ok, "the cell ran");
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("tab", { name: "Gallery" }).click();
  await page.getByRole("button", { name: "Open by_district.png" }).click();
  const provenance = page.getByTestId("lightbox").getByTestId("provenance");
  await provenance.getByTestId("provenance-cell").filter({ hasText: "read_parquet('datasets/incidenti-stradali-quartieri.parquet')" }).waitFor();
  assert.match(await provenance.getByTestId("provenance-cell").textContent(), /^Your cell In \[1\]/);
  const row = provenance.getByTestId("provenance-datasets").locator("tr", { hasText: "incidenti-stradali-quartieri" });
  await row.waitFor();
  assert.match(await row.textContent(), /CC BY 4\.0/);
  await screenshots(page, "23-provenance");
  await page.keyboard.press("Escape");

  // the HTML export (a download), opened as a page: it draws its chart and asks no host for anything
  const exported = await fetch(`${server.url}/api/threads/${thread.id}/export?format=html`);
  assert.equal(exported.status, 200);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.setContent(await exported.text(), { waitUntil: "load" });
  const chart = page.locator("img").first();
  await imageLoaded(page, chart, 101); // the chart is embedded (a data: URI)
  await page.getByText("read_parquet('datasets/incidenti-stradali-quartieri.parquet')").first().waitFor();
  assert.deepEqual(requests.filter((u) => !u.startsWith("data:")), [], "the exported report loads nothing from anywhere");
  await context.close();
});
