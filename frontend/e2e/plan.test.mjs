// End-to-end (issue 15, plan): a multi-step answer shows the analyst's to-do list above its steps, updated as
// steps finish, and still there after a reload; the plan calls are not counted as steps. The real server,
// agent graph and sandbox; the fake model's turns scripted over HTTP (matched to the analyst's calls only).
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

const analyst = { system_contains: "You are LG-Urban" };
const plan = (...statuses) => ({
  name: "update_plan",
  args: { steps: ["Load the counts", "Sum them", "Answer"].map((step, i) => ({ step, status: statuses[i] })) },
});

test("the plan shows above the steps, is updated as they finish and survives a reload", async () => {
  const script = {
    turns: [
      { when: analyst, tool_calls: [plan("in_progress", "pending", "pending")] },
      { when: analyst, tool_calls: [{ name: "execute_code", args: { code: "import time\ntime.sleep(1.5)\nprint(120 + 340)" } }] },
      { when: analyst, tool_calls: [plan("done", "done", "in_progress")] },
      { when: analyst, content: "There were 460 rides in all." },
    ],
  };
  const r = await fetch(server.fake_llm_url + "/_script", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(script) });
  assert.equal(r.status, 200);
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  await page.goto(server.url + "/");
  await page.getByTestId("new-thread").click();
  await page.getByLabel("Message").fill("How many rides, in all?");
  await page.getByLabel("Message").press("Enter");

  // while the cell runs, the first version of the plan is in the live answer
  const live = page.getByTestId("message-live").getByTestId("plan");
  await live.locator('li[data-status="in_progress"]', { hasText: "Load the counts" }).waitFor();
  await page.getByTestId("message-assistant").filter({ hasText: "460 rides" }).waitFor();
  const stored = page.getByTestId("message-assistant").last();
  const statuses = () => stored.getByTestId("plan").locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.status));
  assert.deepEqual(await statuses(), ["done", "done", "in_progress"]);
  await stored.getByRole("button", { name: /^▸ 1 step/ }).waitFor(); // only the cell: plan calls are no steps
  await screenshots(page, "42-plan");

  await page.reload();
  await page.getByTestId("message-assistant").filter({ hasText: "460 rides" }).waitFor();
  assert.deepEqual(await statuses(), ["done", "done", "in_progress"]);
  await context.close();
});
