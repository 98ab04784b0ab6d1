// Issue 19: the Share menu (create, copy, stop sharing) and the shared page (read-only, errors in words).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ShareMenu } from "./ShareMenu";
import { SharedView, sharedToken } from "./SharedView";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const error = (status: number, code: string) => json({ error: { code, message: code } }, status);
const wrap = (node: ReactNode) =>
  render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{node}</QueryClientProvider>);

afterEach(() => vi.unstubAllGlobals());

describe("ShareMenu", () => {
  it("creates a link, shows it whole, and stops sharing", async () => {
    const share = { token: "ab.cd", url: "/s/ab.cd", created_at: "2026-12-03T06:00:00Z" };
    const calls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        const method = init?.method ?? "GET";
        calls.push(`${method} ${url}`);
        if (method === "GET") return error(404, "SHARE_NOT_FOUND");
        if (method === "POST") return json(share);
        return new Response(null, { status: 204 });
      }),
    );
    wrap(<ShareMenu threadId="t1" touch="" />);
    fireEvent.click(screen.getByText("Share"));
    fireEvent.click(await screen.findByRole("button", { name: "Create link" }));
    const input = await screen.findByLabelText("Shared link");
    expect((input as HTMLInputElement).value).toBe(`${window.location.origin}/s/ab.cd`);
    fireEvent.click(screen.getByRole("button", { name: "Stop sharing" }));
    await screen.findByRole("button", { name: "Create link" });
    expect(calls).toEqual(["GET /api/threads/t1/share", "POST /api/threads/t1/share", "DELETE /api/threads/t1/share"]);
  });
});

describe("SharedView", () => {
  it("reads the token from the address", () => {
    expect(sharedToken("/s/ab.cd")).toBe("ab.cd");
    expect(sharedToken("/t/ab")).toBeNull();
    expect(sharedToken("/s/ab/cd")).toBeNull();
  });

  it("shows the conversation without a composer or edit buttons", async () => {
    const message = (id: string, role: string, content: string) => ({ id, role, content, meta: null, tool_calls: null, artifacts: [], run_id: null, created_at: "" });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json({ title: "Navile", shared_at: "2026-12-03T06:00:00Z", items: [message("u", "user", "A question"), message("a", "assistant", "An answer")] })),
    );
    wrap(<SharedView token="ab.cd" />);
    await screen.findByRole("heading", { name: "Navile" });
    await waitFor(() => expect(screen.getByTestId("message-list")).toBeTruthy());
    expect(screen.queryByLabelText("Message")).toBeNull();
    expect(screen.queryByRole("button", { name: "Edit" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Regenerate" })).toBeNull();
  });

  it("says in words that the owner stopped sharing", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => error(410, "SHARE_REVOKED")));
    wrap(<SharedView token="ab.cd" />);
    await screen.findByText("The owner stopped sharing this conversation");
  });
});
