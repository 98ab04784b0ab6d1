import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Thread } from "../api/types";
import { explainError } from "../lib/errors";
import { ErrorNotice } from "./Banner";
import { SettingsDialog } from "./SettingsDialog";

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** The key endpoints as the server answers them: the key is kept, only its last four characters shown. */
function keyServer(initial: Array<Record<string, unknown>> = []) {
  const stored = new Map(initial.map((k) => [String(k.provider), k]));
  const sent: Array<{ method: string; url: string; body: unknown }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    sent.push({ method, url, body });
    if (url.endsWith("/api/config/defaults")) return json(200, { models: [], providers: ["openai"] });
    const m = /\/api\/me\/provider-keys(?:\/(\w+))?$/.exec(url);
    if (!m) return json(404, { error: { code: "NOT_FOUND", message: "no" } });
    const provider = m[1];
    if (method === "GET") return json(200, { items: [...stored.values()] });
    if (method === "DELETE") {
      if (!stored.delete(provider!)) return json(404, { error: { code: "PROVIDER_KEY_NOT_FOUND", message: "none" } });
      return json(204, null);
    }
    if (provider === "openai_compatible" && !body.base_url)
      return json(422, { error: { code: "INVALID_PROVIDER_KEY", message: "An openai_compatible key needs base_url, e.g. https://llm.example.org/v1." } });
    const row = { provider, last4: String(body.key).slice(-4), base_url: body.base_url, set_at: "2026-12-07T14:00:00Z", last_ok: null, last_error_code: null };
    stored.set(provider!, row);
    return json(200, row);
  });
  return { fetch, sent };
}

const thread = {
  id: "t1",
  title: "x",
  config: { model: "openai:gpt-4.1-mini", temperature: 0, system_prompt: null, context_window: 128000, reviewer: true },
} as unknown as Thread;

function dialog() {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <SettingsDialog thread={thread} onClose={() => {}} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("Your model keys (issue 13)", () => {
  it("sets a key through a password field, then shows only its provider, last four and status", async () => {
    const server = keyServer();
    vi.stubGlobal("fetch", server.fetch);
    dialog();
    const section = await screen.findByRole("region", { name: "Your model keys" });
    const input = within(section).getByLabelText("API key") as HTMLInputElement;
    expect(input.type).toBe("password");
    fireEvent.change(input, { target: { value: "sk-secret-abcd1234" } });
    fireEvent.click(within(section).getByRole("button", { name: "Set key" }));
    await within(section).findByText("••••1234");
    expect(within(section).getByText("not used yet")).toBeTruthy();
    expect(input.value).toBe(""); // the field is cleared: the key is not kept on the page
    expect(document.body.textContent).not.toContain("sk-secret-abcd1234");
    const put = server.sent.find((r) => r.method === "PUT");
    expect(put).toEqual({ method: "PUT", url: "/api/me/provider-keys/openai", body: { key: "sk-secret-abcd1234", base_url: null } });
  });

  it("shows a key that failed and removes it", async () => {
    const server = keyServer([
      { provider: "anthropic", last4: "wxyz", base_url: null, set_at: "2026-12-07T14:00:00Z", last_ok: false, last_error_code: "MODEL_AUTH_FAILED" },
    ]);
    vi.stubGlobal("fetch", server.fetch);
    dialog();
    const section = await screen.findByRole("region", { name: "Your model keys" });
    await within(section).findByText("••••wxyz");
    expect(within(section).getByText(/the provider refused it/)).toBeTruthy();
    fireEvent.click(within(section).getByRole("button", { name: "Remove Anthropic key" }));
    await waitFor(() => expect(within(section).queryByText("••••wxyz")).toBeNull());
    expect(server.sent.some((r) => r.method === "DELETE" && r.url === "/api/me/provider-keys/anthropic")).toBe(true);
  });

  it("asks for the base URL of an OpenAI-compatible server and says why a key was refused", async () => {
    vi.stubGlobal("fetch", keyServer().fetch);
    dialog();
    const section = await screen.findByRole("region", { name: "Your model keys" });
    fireEvent.change(within(section).getByLabelText("Provider"), { target: { value: "openai_compatible" } });
    expect(within(section).getByLabelText("Base URL")).toBeTruthy();
    fireEvent.change(within(section).getByLabelText("API key"), { target: { value: "sk-local-12345678" } });
    fireEvent.click(within(section).getByRole("button", { name: "Set key" }));
    const alert = await within(section).findByRole("alert");
    expect(alert.textContent).toContain("needs base_url");
  });

  it("explains PROVIDER_KEY_REQUIRED and a refused own key, with Open settings", () => {
    const required = explainError("PROVIDER_KEY_REQUIRED", "This server needs your own model key");
    expect(required.action).toBe("settings");
    expect(required.detail).toContain("Your model keys");
    const own = explainError("MODEL_AUTH_FAILED", "The model provider refused your own API key (it is wrong…)");
    expect(own.title).toBe("The model provider refused your own key");
    expect(explainError("MODEL_AUTH_FAILED", "refused this server's API key").detail).toContain("OPENAI_API_KEY");
    const open = vi.fn();
    render(<ErrorNotice code="PROVIDER_KEY_REQUIRED" message="x" onOpenSettings={open} />);
    fireEvent.click(screen.getByRole("button", { name: "Open settings" }));
    expect(open).toHaveBeenCalled();
  });
});
