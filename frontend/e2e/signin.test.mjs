// End-to-end (issue 13): AUTH_MODE=token in a real browser. The app shows the sign-in page, a pasted token
// signs in (a session cookie, CSRF header on changes), a message gets its answer, a reload stays signed in,
// and Sign out ends the session on the server (the API answers 401).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer(["--auth-token"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const me = (page) => page.evaluate(async () => (await fetch("/api/me")).status);

describe("sign-in", () => {
  test("sign in with a token, chat, reload, sign out", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByRole("form", { name: "Sign in" }).waitFor();
    await page.getByLabel("API token").fill("lgu_wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "not valid" }).waitFor();

    await page.getByLabel("API token").fill(server.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: server.user_name }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "lgurban_session");
    assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
    assert.notEqual(session.value, server.token, "the cookie is a session id, not the token");

    await page.getByTestId("new-thread").click();
    await page.getByLabel("Message").fill("Hello, how many bike counters are there?");
    await page.getByLabel("Message").press("Enter");
    await page.getByTestId("message-user").filter({ hasText: "bike counters" }).waitFor();
    await page.getByTestId("message-assistant").last().waitFor();
    await page.getByRole("button", { name: "Send" }).waitFor(); // the run is over

    await page.reload();
    await page.getByTestId("signed-in-as").waitFor();
    await page.getByTestId("message-user").filter({ hasText: "bike counters" }).waitFor();
    assert.equal(await me(page), 200);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("form", { name: "Sign in" }).waitFor();
    assert.equal(await me(page), 401);
    // the old cookie, replayed, is refused too: the session is revoked on the server
    await context.addCookies([{ ...session, sameSite: "Lax" }]);
    assert.equal(await me(page), 401);
  });
});
