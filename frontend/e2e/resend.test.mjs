// End-to-end, issue 19: regenerate the last answer and edit-and-resend the last question, in Chromium
// against the real server and agent graph (fake model). Both are new runs; the earlier version stays
// readable through the "‹ 1/2 ›" switcher.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
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

async function script(turns) {
  const res = await fetch(server.fake_llm_url + "/_script", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ turns }),
  });
  assert.equal(res.status, 200);
}

// the analyst's calls only: the reviewer's (issue 15) also carry the question and a tool
const turn = (word, content) => ({
  when: { user_contains: word, has_tools: true, system_contains: "You are LG-Urban" },
  content,
});

describe("edit and regenerate", () => {
  test("Regenerate gives a new answer and keeps the old one; Edit sends the question again", async () => {
    await script([
      turn("Navile", "First answer about Navile."),
      turn("Navile", "Second answer about Navile."),
      turn("Savena", "An answer about Savena."),
    ]);
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByTestId("new-thread").click();
    await page.getByLabel("Message").fill("Tell me about Navile");
    await page.getByLabel("Message").press("Enter");
    await page.getByText("First answer about Navile.").waitFor();

    await page.getByRole("button", { name: "Regenerate" }).click();
    await page.getByText("Second answer about Navile.").waitFor();
    assert.equal(await page.getByText("First answer about Navile.").count(), 0, "the old answer is folded away");
    const switcher = page.getByTestId("version-switch");
    assert.equal((await switcher.textContent()).replace(/\s/g, ""), "‹2/2›");
    await switcher.getByRole("button", { name: "Previous version" }).click();
    await page.getByText("First answer about Navile.").waitFor();
    assert.equal((await switcher.textContent()).replace(/\s/g, ""), "‹1/2›");
    await screenshots(page, "20-earlier-answer");
    // an earlier version cannot be redone: only the newest has the buttons
    assert.equal(await page.getByRole("button", { name: "Regenerate" }).count(), 0);
    await switcher.getByRole("button", { name: "Next version" }).click();
    await page.getByText("Second answer about Navile.").waitFor();

    await page.getByTestId("message-user").last().getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Edit your message").fill("Tell me about Savena");
    await screenshots(page, "21-edit-question");
    await page.getByRole("button", { name: "Save & send" }).click();
    await page.getByText("An answer about Savena.").waitFor();
    assert.equal((await page.getByTestId("version-switch").textContent()).replace(/\s/g, ""), "‹3/3›");
    // after a reload the versions are still there (they come from the stored history)
    await page.reload();
    await page.getByText("An answer about Savena.").waitFor();
    await page.getByTestId("version-switch").getByRole("button", { name: "Previous version" }).click();
    await page.getByText("Second answer about Navile.").waitFor();
    // the model saw the edited question only, not the earlier exchange
    const requests = (await (await fetch(server.fake_llm_url + "/_requests")).json()).items.filter(
      (r) => r.tools && String(r.messages[0]?.content).includes("You are LG-Urban"), // not the reviewer's
    );
    const last = requests[requests.length - 1].messages.filter((m) => m.role !== "system");
    assert.deepEqual(last.map((m) => m.content), ["Tell me about Savena"]);
    await context.close();
  });
});
