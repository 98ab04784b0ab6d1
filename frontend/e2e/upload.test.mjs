// End-to-end (issue 14): the composer's paperclip uploads a file to the thread's workspace on the real server.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./harness.mjs";

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

test("the paperclip uploads a CSV to the thread and shows it as a chip", async () => {
  const res = await fetch(server.url + "/api/threads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Upload test" }),
  });
  const thread = await res.json();
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(30_000);
  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByLabel("Upload a file").waitFor();
  await page.getByLabel("File to upload").setInputFiles({
    name: "quartieri.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("quartiere,residenti\nNavile,69000\n"),
  });
  await page.getByLabel("Uploaded files").getByText("uploads/quartieri.csv").waitFor();
  const files = await (await fetch(`${server.url}/api/threads/${thread.id}/files`)).json();
  assert.deepEqual(
    files.items.map((f) => [f.path, f.size]),
    [["uploads/quartieri.csv", 33]],
  );
  await context.close();
});
