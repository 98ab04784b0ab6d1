// End-to-end: the built app, served by the real LG-Urban server, driven in Debian's Chromium.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { initialJsGzipBytes, launchBrowser, newPage, recordFigure, screenshots, startServer } from "./harness.mjs";

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

async function api(path, init = {}) {
  const res = await fetch(server.url + path, {
    ...init,
    headers: { "Content-Type": "application/json", ...(init.headers ?? {}) },
  });
  assert.ok(res.ok, `${init.method ?? "GET"} ${path} → ${res.status} ${await res.clone().text()}`);
  return res.status === 204 ? null : res.json();
}

describe("web app", () => {
  test("initial JS bundle is at most 300 kB gzipped", () => {
    const { total, files } = initialJsGzipBytes();
    recordFigure("initial_js_gzip_kB", +(total / 1024).toFixed(1), "≤ 300");
    assert.ok(files.length > 0);
    assert.ok(total <= 300 * 1024, `initial JS is ${total} bytes gzipped`);
  });

  test("thread list is interactive quickly; threads can be created, renamed, searched, archived, deleted", async () => {
    // median of three cold loads (fresh browser context each time, so no HTTP cache)
    const times = [];
    for (let i = 0; i < 3; i++) {
      const probe = await newPage(browser);
      await probe.page.goto(server.url + "/");
      await probe.page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
      times.push(await probe.page.evaluate(() => performance.now()));
      await probe.context.close();
    }
    const ms = times.sort((a, b) => a - b)[1];
    recordFigure("navigation_to_interactive_thread_list_ms", Math.round(ms), "≤ 1000");
    // the goal is 1 s; the assertion leaves room for a loaded 2-core CI machine
    assert.ok(ms <= 2000, `thread list took ${ms} ms`);
    await api("/api/threads", { method: "POST", body: JSON.stringify({ title: "Older thread" }) });
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.waitForSelector('[data-testid="thread-list"][data-ready="true"]');
    await screenshots(page, "01-home");

    await page.getByTestId("new-thread").click();
    // no thread until its first message: the home page's composer starts it
    assert.equal((await api("/api/threads")).items.length, 1);
    await page.getByLabel("Message").fill("Hello there");
    await page.getByLabel("Message").press("Enter");
    await page.waitForURL(/\/t\/[0-9a-f-]{36}$/);
    const item = page.getByTestId("thread-item").filter({ hasText: "Hello there" }).first();
    await item.hover();
    await item.getByRole("button", { name: "Rename" }).click();
    await page.getByLabel("Thread title").fill("Bike counters");
    await page.getByLabel("Thread title").press("Enter");
    await page.getByTestId("thread-title").filter({ hasText: "Bike counters" }).waitFor();

    // newest activity first: the renamed thread is above the older one
    await page.getByTestId("thread-item").filter({ hasText: "Bike counters" }).waitFor();
    const titles = await page.getByTestId("thread-item").allTextContents();
    assert.equal(titles.length, 2);
    assert.ok(titles[0].includes("Bike counters"), titles.join(" | "));

    await page.getByLabel("Search threads").fill("bike");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="thread-item"]').length === 1);
    assert.match(await page.getByTestId("thread-item").textContent(), /Bike counters/);
    await page.getByLabel("Search threads").fill("");

    const row = page.getByTestId("thread-item").filter({ hasText: "Bike counters" });
    await row.hover();
    await row.getByRole("button", { name: "Archive" }).click();
    await page.getByTestId("thread-item").filter({ hasText: "Bike counters" }).waitFor({ state: "detached" });
    await page.getByLabel("Show archived only").check();
    const archived = page.getByTestId("thread-item").filter({ hasText: "Bike counters" });
    await archived.waitFor();
    await archived.hover();
    await archived.getByRole("button", { name: "Unarchive" }).click();
    await archived.waitFor({ state: "detached" });
    await page.getByLabel("Show archived only").uncheck();

    const again = page.getByTestId("thread-item").filter({ hasText: "Bike counters" });
    await again.hover();
    await again.getByRole("button", { name: "Delete" }).click();
    await screenshots(page, "02-delete-confirm");
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await again.waitFor({ state: "detached" });
    const list = await api("/api/threads?include_archived=true");
    assert.ok(!list.items.some((t) => t.title === "Bike counters"));
    await context.close();
  });

  test("thread settings are saved", async () => {
    const thread = await api("/api/threads", { method: "POST", body: JSON.stringify({ title: "Settings test" }) });
    const { context, page } = await newPage(browser);
    await page.goto(`${server.url}/t/${thread.id}`);
    await page.getByRole("button", { name: "Thread settings" }).click();
    await page.getByLabel("System prompt").fill("Answer in Italian.");
    await page.getByLabel("Context window").fill("32768");
    await screenshots(page, "03-settings");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    const saved = await api(`/api/threads/${thread.id}`);
    assert.equal(saved.config.system_prompt, "Answer in Italian.");
    assert.equal(saved.config.context_window, 32768);
    await page.getByTestId("context-usage").filter({ hasText: "/ 33k" }).waitFor();
    await context.close();
  });
});
