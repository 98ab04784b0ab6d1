// Issue 20: "Re-run on today's data" shows what changed and opens the new thread; "Fork from here" under a
// message forks at the last stored message it shows (a tool answer included) and opens the new thread.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Message, RerunReport } from "../api/types";
import { buildRows } from "../lib/history";
import { RerunButton } from "./Reproduce";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function wrap(node: ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={qc}>{node}</QueryClientProvider>);
}

const report: RerunReport = {
  thread_id: "99999999-9999-9999-9999-999999999999",
  unchanged: false,
  changes: [{ execution_id: "e1", new_execution_id: "e2", old: "1234", new: "1247", numbers: [{ old: "1234", new: "1247" }] }],
  datasets: [{ id: "incidenti", changed: true, old_modified: "2024-03-01", new_modified: "2026-12-01", stale: false }],
  cells: 3,
  duration_ms: 900,
  original_ms: 800,
  download_ms: 100,
  message: "…",
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("Re-run on today's data", () => {
  it("posts the re-run, shows the numbers that moved, and opens the new thread", async () => {
    const fetchMock = vi.fn(async () => json(report, 201));
    vi.stubGlobal("fetch", fetchMock);
    const open = vi.fn();
    wrap(<RerunButton threadId="t1" touch="" onOpenThread={open} />);
    fireEvent.click(screen.getByRole("button", { name: "Re-run on today's data" }));
    expect(await screen.findByText("1234 → 1247")).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Re-run: 1 of 3 cells changed" })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith("/api/threads/t1/rerun", expect.objectContaining({ method: "POST" }));
    fireEvent.click(screen.getByRole("button", { name: "Open the re-run thread" }));
    expect(open).toHaveBeenCalledWith(report.thread_id);
  });

  it("says why when the sandbox could not run the cells", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json({ error: { code: "SANDBOX_UNAVAILABLE", message: "could not start a sandbox" } }, 503)));
    wrap(<RerunButton threadId="t1" touch="" onOpenThread={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Re-run on today's data" }));
    await waitFor(() => expect(screen.getByTestId("rerun-error").textContent).toContain("SANDBOX_UNAVAILABLE"));
  });
});

const msg = (id: string, role: Message["role"], content: string, extra: Partial<Message> = {}): Message =>
  ({ id, role, content, tool_calls: null, tool_call_id: null, tool_name: null, meta: null, run_id: "r", artifacts: [], created_at: "2026-01-01T00:00:00Z", ...extra }) as Message;

describe("Fork from here", () => {
  // the list itself is virtualized (jsdom lays nothing out): the buttons are driven in e2e/reproduce.test.mjs
  it("forks at the message a row shows: the question, or the tool answer of a code step", () => {
    const messages = [
      msg("u1", "user", "How many?"),
      msg("a1", "assistant", "", { tool_calls: [{ id: "c1", name: "execute_code", args: { code: "1" } }] }),
      msg("t1", "tool", "1", { tool_call_id: "c1", tool_name: "execute_code" }),
      msg("a2", "assistant", "One."),
    ];
    expect(buildRows(messages).map((r) => (r.kind === "user" ? r.id : r.forkId))).toEqual(["u1", "t1", "a2"]);
  });
});
