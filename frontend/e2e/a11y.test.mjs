// End-to-end, issue 19: axe-core on the home page, a thread, the settings dialog, the shortcuts sheet and
// the narrow layout's drawer — no serious or critical violation.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./harness.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server;
let browser;

before(async () => {
  server = await startServer(["--seed-long", "20"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Serious and critical violations on the page as it is now, one line each. */
async function axe(page, scheme = "light") {
  await page.emulateMedia({ colorScheme: scheme });
  await page.evaluate((s) => document.documentElement.classList.toggle("dark", s === "dark"), scheme);
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
  return violations;
}

const problems = [];
/** Record the violations of this screen in both themes; the tests assert at the end, so one run lists them all. */
async function check(page, screen) {
  for (const scheme of ["light", "dark"]) {
    for (const v of await axe(page, scheme)) problems.push(`${screen} (${scheme}): ${v}`);
  }
}

test("axe-core: home, a thread, settings, shortcuts at 1280 px", async () => {
  const { context, page } = await newPage(browser);
  await page.goto(server.url + "/");
  await page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
  await check(page, "home page");
  await page.goto(`${server.url}/t/${server.long_thread_id}`);
  await page.getByText("Answer 10:").waitFor();
  await check(page, "thread");
  await page.getByRole("button", { name: "Thread settings" }).click();
  await page.getByRole("dialog", { name: "Thread settings" }).waitFor();
  await check(page, "settings dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("dialog", { name: "Thread settings" }).waitFor({ state: "detached" }).catch(() => {});
  await page.goto(`${server.url}/t/${server.long_thread_id}`);
  await page.getByText("Answer 10:").waitFor();
  await page.keyboard.press("?");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  await check(page, "shortcuts sheet");
  await context.close();
  assert.deepEqual(problems.splice(0), []);
});

test("axe-core: the narrow layout and its drawer at 390 px", async () => {
  const { context, page } = await newPage(browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/t/${server.long_thread_id}`);
  await page.getByText("Answer 10:").waitFor();
  await check(page, "thread, narrow");
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByTestId("drawer").waitFor();
  await check(page, "drawer, narrow");
  await context.close();
  assert.deepEqual(problems.splice(0), []);
});

test("axe-core: the Notebook, Gallery and Datasets panels, with content", async () => {
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(`${server.url}/t/${server.long_thread_id}`);
  await page.getByText("Answer 10:").waitFor();
  await page.getByRole("tab", { name: "Notebook" }).click();
  const cell = page.getByLabel("Code cell");
  await cell.fill("print('hello')\n{'a': 1}");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("notebook-cell").filter({ hasText: "hello" }).waitFor();
  await cell.fill("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("notebook-cell").nth(1).getByTestId("artifact").waitFor();
  await cell.fill("1 / 0");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.getByTestId("cell-error").waitFor();
  await check(page, "notebook");
  await page.getByRole("tab", { name: "Gallery" }).click();
  await page.getByTestId("gallery-item").first().waitFor();
  await check(page, "gallery");
  await page.getByTestId("gallery-item").first().getByRole("button").click();
  await page.getByTestId("lightbox").waitFor();
  await check(page, "gallery lightbox");
  await page.keyboard.press("Escape");
  await page.getByRole("tab", { name: "Datasets" }).click();
  await page.getByTestId("dataset-item").first().waitFor();
  await check(page, "datasets list");
  await page.getByTestId("dataset-item").first().click();
  await page.getByTestId("dataset-detail").getByTestId("data-table").first().waitFor();
  await check(page, "dataset detail");
  await page.getByLabel("Search datasets").fill("quartieri"); // issue 16: a geo dataset's map
  await page.getByTestId("dataset-item").filter({ hasText: "Quartieri di Bologna" }).click();
  await page.locator('[data-testid="dataset-map"][data-drawn="true"] path.map-shape').first().waitFor();
  await check(page, "dataset map");
  await context.close();
  assert.deepEqual(problems.splice(0), []);
});

test("axe-core: the Share menu and a shared conversation's page", async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${server.url}/t/${server.long_thread_id}`);
  await page.getByText("Answer 10:").waitFor();
  await page.getByText("Share", { exact: true }).click();
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Shared link").inputValue();
  await check(page, "share menu");
  await page.goto(link);
  await page.getByTestId("shared-view").getByText("Answer 10:").waitFor();
  await check(page, "shared page");
  await page.goto(server.url + "/s/not-a-link");
  await page.getByTestId("shared-error").waitFor();
  await check(page, "shared page, bad link");
  await context.close();
  assert.deepEqual(problems.splice(0), []);
});

test("axe-core: an answer with receipts and an unverified figure (issue 15), steps folded and open", async () => {
  const script = {
    turns: [
      { when: { has_tools: true, user_contains: "busiest" }, tool_calls: [{ name: "execute_code", args: { code: "print('busiest: Wed', 560)" } }] },
      { when: { has_tools: true, last_role: "tool" }, content: "Wednesday is the busiest day with **560** cyclists, 37.5 more than Tuesday." },
      { when: { has_tools: true, user_contains: "Verification" }, content: "Wednesday is the busiest day with **560** cyclists, 37.5 more than Tuesday." },
    ],
  };
  const scripted = await fetch(server.fake_llm_url + "/_script", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(script) });
  assert.equal(scripted.status, 200);
  const post = (path, body) => fetch(server.url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const thread = await (await post("/api/threads", { title: "Receipts" })).json();
  const run = await post(`/api/threads/${thread.id}/messages`, { content: "Which is the busiest day?" });
  await run.text();
  const { context, page } = await newPage(browser);
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByTestId("receipt").filter({ hasText: "560" }).waitFor();
  await page.getByTestId("unverified").filter({ hasText: "37.5" }).waitFor();
  await check(page, "answer with receipts");
  await page.getByRole("button", { name: /1 step/ }).click();
  await page.getByTestId("tool-card").waitFor();
  await check(page, "answer with its steps open");
  await context.close();
  assert.deepEqual(problems.splice(0), []);
});
