// End-to-end (issue 13): AUTH_MODE=oidc in a real browser against the fake OpenID Connect provider on loopback
// (tests/fakes/oidc_provider.py: discovery, /authorize, /token with PKCE, JWKS). "Sign in with Fake IdP" goes to
// the provider and back, the user is made on the first sign-in, a message gets its answer (CSRF header on the
// cookie session), a reload stays signed in, Sign out ends it; an e-mail not on the allow-list is told why.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer(["--auth-oidc"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const me = (page) => page.evaluate(async () => (await fetch("/api/me")).status);
const signInAs = (claims) =>
  fetch(server.oidc_issuer + "/_user", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(claims) });

describe("OIDC sign-in", () => {
  test("sign in with the provider, chat, reload, sign out", async () => {
    const { context, page } = await newPage(browser);
    context.setDefaultTimeout(60_000);
    await page.goto(server.url + "/");
    await page.getByRole("link", { name: "Sign in with Fake IdP" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: server.oidc_user_name }).waitFor();
    assert.equal(new URL(page.url()).origin, server.url, "back on the app after the provider");
    const session = (await context.cookies()).find((c) => c.name === "lgurban_session");
    assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
    assert.ok(!(await context.cookies()).some((c) => c.name === "lgurban_oidc"), "the sign-in's own cookie is gone");

    await page.getByTestId("new-thread").click();
    await page.getByLabel("Message").fill("Hello, how many bike counters are there?");
    await page.getByLabel("Message").press("Enter");
    await page.getByTestId("message-user").filter({ hasText: "bike counters" }).waitFor();
    await page.getByTestId("message-assistant").last().waitFor();
    await page.getByRole("button", { name: "Send" }).waitFor();

    await page.reload();
    await page.getByTestId("signed-in-as").waitFor();
    await page.getByTestId("message-user").filter({ hasText: "bike counters" }).waitFor();
    assert.equal(await me(page), 200);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in with Fake IdP" }).waitFor();
    assert.equal(await me(page), 401);
    await context.close();
  });

  test("an e-mail not on the allow-list is refused, in words", async () => {
    const r = await signInAs({ sub: "e2e-eve", email: "eve@evil.example", email_verified: true, name: "Eve" });
    assert.equal(r.status, 200);
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.getByRole("link", { name: "Sign in with Fake IdP" }).click();
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "may not sign in to this server" }).waitFor();
    assert.equal(await alert.getAttribute("data-code"), "EMAIL_NOT_ALLOWED");
    assert.ok(!page.url().includes("sign_in_error"), "the code is taken off the address bar");
    assert.equal(await me(page), 401);
    await context.close();
  });
});
