import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthGate, SignIn } from "./SignIn";

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "csrf_token=; max-age=0";
});

describe("sign-in (issue 13)", () => {
  it("shows the sign-in page when /api/me answers 401, and the app when it answers 200", async () => {
    const fetchMock = vi.fn(async () => json(401, { error: { code: "UNAUTHORIZED", message: "not signed in" } }));
    vi.stubGlobal("fetch", fetchMock);
    const qc = new QueryClient();
    const { unmount } = render(
      <QueryClientProvider client={qc}>
        <AuthGate>
          <p>the app</p>
        </AuthGate>
      </QueryClientProvider>,
    );
    expect(await screen.findByRole("form", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByText("lgurban users create NAME")).toBeTruthy();
    expect(screen.queryByText("the app")).toBeNull();
    unmount();
    vi.stubGlobal("fetch", vi.fn(async () => json(200, { id: "1", name: "ada", auth_mode: "token" })));
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthGate>
          <p>the app</p>
        </AuthGate>
      </QueryClientProvider>,
    );
    expect(await screen.findByText("the app")).toBeTruthy();
  });

  it("goes back to the sign-in page when a request answers 401 while the app is open", async () => {
    let signedIn = true;
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        signedIn ? json(200, { id: "1", name: "ada", auth_mode: "token" }) : json(401, { error: { code: "UNAUTHORIZED", message: "ended" } }),
      ),
    );
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthGate>
          <p>the app</p>
        </AuthGate>
      </QueryClientProvider>,
    );
    await screen.findByText("the app");
    signedIn = false;
    const { api } = await import("../api/client");
    await expect(api("/api/threads")).rejects.toThrow();
    expect(await screen.findByRole("form", { name: "Sign in" })).toBeTruthy();
  });

  it("posts the pasted token, then reloads signed in; a bad token is said so", async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(json(401, { error: { code: "INVALID_TOKEN", message: "invalid" } }))
      .mockResolvedValueOnce(json(204, null));
    vi.stubGlobal("fetch", fetchMock);
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} />);
    const input = screen.getByLabelText("API token");
    await userEvent.type(input, "lgu_wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/not valid/);
    expect(onSignedIn).not.toHaveBeenCalled();
    await userEvent.clear(input);
    await userEvent.type(input, "  lgu_right ");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    const [url, init] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect(url).toBe("/api/auth/session");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("same-origin");
    expect(JSON.parse(init.body as string)).toEqual({ token: "lgu_right" });
  });

  it("sends the csrf_token cookie as X-CSRF-Token on changes, not on reads", async () => {
    document.cookie = "csrf_token=abc123";
    const fetchMock = vi.fn(async () => json(200, {}));
    vi.stubGlobal("fetch", fetchMock);
    const { api } = await import("../api/client");
    await api("/api/threads");
    await api("/api/threads", { method: "POST", json: {} });
    const headers = (i: number) => (fetchMock.mock.calls[i] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(headers(0)["X-CSRF-Token"]).toBeUndefined();
    expect(headers(1)["X-CSRF-Token"]).toBe("abc123");
  });
});
