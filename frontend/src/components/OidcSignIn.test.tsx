import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthGate } from "./SignIn";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function server(config: unknown) {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    if (url.includes("/api/auth/config")) return json(200, config);
    return json(401, { error: { code: "UNAUTHORIZED", message: "not signed in" } });
  });
}

function gate() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthGate>
        <p>the app</p>
      </AuthGate>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

describe("OIDC sign-in (issue 13)", () => {
  it("shows the provider's button, which starts the sign-in and comes back here", async () => {
    window.history.replaceState(null, "", "/t/0b7c2a52-2f5e-4a43-9a39-1d8e0f2f7f10");
    vi.stubGlobal("fetch", server({ auth_mode: "oidc", oidc_provider: "Keycloak", oidc_login_url: "/api/auth/oidc/login" }));
    gate();
    const link = await screen.findByRole("link", { name: "Sign in with Keycloak" });
    expect(link.getAttribute("href")).toBe("/api/auth/oidc/login?next=%2Ft%2F0b7c2a52-2f5e-4a43-9a39-1d8e0f2f7f10");
    expect(screen.queryByLabelText("API token")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says in words why the last sign-in was refused, and takes the code off the address", async () => {
    window.history.replaceState(null, "", "/?sign_in_error=EMAIL_NOT_ALLOWED");
    vi.stubGlobal("fetch", server({ auth_mode: "oidc", oidc_provider: "Google", oidc_login_url: "/api/auth/oidc/login" }));
    gate();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("e-mail address may not sign in");
    expect(window.location.search).toBe("");
    expect(screen.getByRole("link", { name: "Sign in with Google" }).getAttribute("href")).toBe("/api/auth/oidc/login?next=%2F");
  });

  it("keeps the token form in AUTH_MODE=token", async () => {
    vi.stubGlobal("fetch", server({ auth_mode: "token", oidc_provider: null, oidc_login_url: null }));
    gate();
    expect(await screen.findByLabelText("API token")).toBeTruthy();
    expect(screen.queryByRole("link", { name: /Sign in with/ })).toBeNull();
  });
});
