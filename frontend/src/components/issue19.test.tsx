// Issue 19: the narrow layout, no lost input, the missing model said up front, errors written for people.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import { explainError, validationSentence } from "../lib/errors";
import { RunErrorBanner } from "./Banner";
import { Composer } from "./Composer";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const thread = (id: string, title = "New thread") => ({
  id,
  title,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
  archived_at: null,
  config: { model: "openai:fake", temperature: 0.2, system_prompt: null, context_window: 8192 },
});

function setWidth(narrow: boolean) {
  window.matchMedia = ((query: string) => ({
    matches: narrow && query.includes("max-width"),
    media: query,
    addEventListener: () => {},
    removeEventListener: () => {},
  })) as unknown as typeof window.matchMedia;
}

/** A fake server: threads, messages (a stream that stores the user message), health. */
function fakeServer({ model = "openai", createDelayMs = 0 } = {}) {
  const threads: ReturnType<typeof thread>[] = [thread("11111111-1111-1111-1111-111111111111", "Bike counts")];
  const stored: Array<{ thread: string; content: string }> = [];
  let created = 0;
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    if (url === "/api/health") return json({ status: "ok", checks: { db: "ok", model } });
    if (url === "/api/threads" && method === "POST") {
      await new Promise((r) => setTimeout(r, createDelayMs));
      const t = thread(`00000000-0000-0000-0000-${String(++created).padStart(12, "0")}`, JSON.parse(String(init?.body)).title);
      threads.unshift(t);
      return json(t, 201);
    }
    if (url.startsWith("/api/threads?")) return json({ items: threads, next_cursor: null });
    const m = /^\/api\/threads\/([^/]+)(\/.*)?$/.exec(url);
    if (m && m[2] === "/messages" && method === "POST") {
      const content = JSON.parse(String(init?.body)).content as string;
      stored.push({ thread: m[1], content });
      const msg = { id: crypto.randomUUID(), role: "user", content, artifacts: [], created_at: "2026-01-01T00:00:00Z" };
      return new Response(
        `event: message\ndata: ${JSON.stringify({ type: "message", agent: "analyst", message: msg })}\n\nevent: done\ndata: {"type":"done","agent":"analyst","run_id":"r","status":"done"}\n\n`,
        { headers: { "Content-Type": "text/event-stream" } },
      );
    }
    if (m && m[2] === "/messages") return json({ items: stored.filter((s) => s.thread === m[1]).map((s, i) => ({ id: String(i), role: "user", content: s.content, artifacts: [], created_at: "2026-01-01T00:00:00Z" })) });
    if (m && m[2] === "/state") return json({ running: false, context: { tokens_used: 0, context_window: 8192 } });
    if (m && !m[2]) return json(threads.find((t) => t.id === m[1]) ?? thread(m[1]));
    return json({ items: [] });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { stored, fetchMock, threads, created: () => created };
}

function renderApp() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <App />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});
afterEach(() => {
  vi.unstubAllGlobals();
  setWidth(false);
});

describe("narrow layout", () => {
  it("hides the sidebar in a drawer opened by Menu, closed by Escape, the backdrop and choosing a thread", async () => {
    setWidth(true);
    fakeServer();
    renderApp();
    expect(screen.queryByTestId("new-thread")).toBeNull(); // closed by default
    fireEvent.click(screen.getByRole("button", { name: "Menu" }));
    expect(await screen.findByTestId("new-thread")).toBeVisible();
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("drawer")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Menu" }));
    fireEvent.click(screen.getByTestId("drawer-backdrop"));
    expect(screen.queryByTestId("drawer")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Menu" }));
    fireEvent.click(await screen.findByText("Bike counts"));
    expect(screen.queryByTestId("drawer")).toBeNull();
    expect(window.location.pathname).toBe("/t/11111111-1111-1111-1111-111111111111");
  });

  it("opens a side panel as a full-screen sheet with a close button", async () => {
    setWidth(true);
    fakeServer();
    renderApp();
    fireEvent.click(screen.getByRole("tab", { name: "Datasets" }));
    const sheet = await screen.findByRole("dialog", { name: "Datasets" });
    expect(sheet.className).toContain("fixed inset-0");
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Datasets" })).toBeNull());
  });

  it("keeps the sidebar in place on a wide screen (no Menu button)", () => {
    setWidth(false);
    fakeServer();
    renderApp();
    expect(screen.queryByRole("button", { name: "Menu" })).toBeNull();
    expect(screen.getByTestId("new-thread")).toBeInTheDocument();
  });
});

describe("no lost input", () => {
  it("creates no thread on '+ New thread'; the first message typed on the home page creates it", async () => {
    const server = fakeServer();
    renderApp();
    fireEvent.click(screen.getByTestId("new-thread"));
    expect(server.created()).toBe(0);
    await userEvent.type(screen.getByLabelText("Message"), "How many bikes?{Enter}");
    await waitFor(() => expect(server.stored).toEqual([{ thread: "00000000-0000-0000-0000-000000000001", content: "How many bikes?" }]));
    expect(server.threads[0].title).toBe("How many bikes?");
    await waitFor(() => expect(window.location.pathname).toBe("/t/00000000-0000-0000-0000-000000000001"));
  });

  it("queues a message sent while the thread is being created, and one sent after leaving", async () => {
    const server = fakeServer({ createDelayMs: 50 });
    renderApp();
    const box = screen.getByLabelText("Message");
    fireEvent.change(box, { target: { value: "first" } });
    fireEvent.keyDown(box, { key: "Enter" });
    fireEvent.change(box, { target: { value: "second" } });
    fireEvent.keyDown(box, { key: "Enter" });
    fireEvent.click(screen.getByTestId("new-thread")); // gone before the thread exists: sent in the background
    fireEvent.change(screen.getByLabelText("Message"), { target: { value: "third" } });
    fireEvent.keyDown(screen.getByLabelText("Message"), { key: "Enter" });
    await waitFor(() => expect(server.stored.map((s) => s.content).sort()).toEqual(["first", "second", "third"]), { timeout: 3000 });
    expect(new Set(server.stored.map((s) => s.thread)).size).toBe(2);
    await waitFor(() => expect(Object.keys(localStorage).filter((k) => k.startsWith("lgurban.pending"))).toEqual([]));
  });

  it("keeps the draft per thread across reloads, and restores a message the server never stored", async () => {
    const { unmount } = render(<Composer scope="t1" running={false} onSend={() => {}} onStop={() => {}} />);
    await userEvent.type(screen.getByLabelText("Message"), "half a question");
    unmount();
    render(<Composer scope="t2" running={false} onSend={() => {}} onStop={() => {}} />);
    expect(screen.getByLabelText("Message")).toHaveValue("");
    cleanupAll();
    render(<Composer scope="t1" running={false} onSend={() => {}} onStop={() => {}} />);
    expect(screen.getByLabelText("Message")).toHaveValue("half a question");
    cleanupAll();
    // sent by an earlier page load, never confirmed by the server
    localStorage.setItem("lgurban.pending.t3", JSON.stringify([{ id: "c1", text: "lost on reload", session: "earlier" }]));
    render(<Composer scope="t3" running={false} onSend={() => {}} onStop={() => {}} />);
    expect(screen.getByLabelText("Message")).toHaveValue("lost on reload");
  });
});

function cleanupAll() {
  act(() => document.body.replaceChildren());
}

describe("model configuration up front", () => {
  it("says on the home page which setting to set when no model is configured", async () => {
    fakeServer({ model: "not configured" });
    renderApp();
    const banner = await screen.findByTestId("banner-error");
    expect(banner).toHaveTextContent("No language model is configured");
    expect(banner).toHaveTextContent("OPENAI_API_KEY");
  });

  it("says it in an empty thread too, before the first question", async () => {
    fakeServer({ model: "not configured" });
    window.history.replaceState(null, "", "/t/11111111-1111-1111-1111-111111111111");
    renderApp();
    await screen.findByText("Ask a question about Bologna’s open data.");
    expect(await screen.findByTestId("banner-error")).toHaveTextContent("LLM_MODEL");
  });

  it("says nothing when a provider is configured", async () => {
    const server = fakeServer({ model: "openai" });
    renderApp();
    await waitFor(() => expect(server.fetchMock).toHaveBeenCalledWith("/api/health", expect.anything()));
    expect(screen.queryByTestId("banner-error")).toBeNull();
  });
});

describe("errors written for people", () => {
  it("names the field in words and the allowed range", () => {
    expect(validationSentence("body.config.context_window: Input should be greater than or equal to 1024")).toBe(
      "Context window must be at least 1,024.",
    );
    expect(validationSentence("body.config.temperature: Input should be less than or equal to 2")).toBe("Temperature must be at most 2.");
    expect(validationSentence("body.title: String should have at most 200 characters")).toBe("Title can be at most 200 characters long.");
  });

  it("offers Open settings, not Retry, for a key the provider refuses", () => {
    const onRetry = vi.fn();
    render(
      <RunErrorBanner
        code="MODEL_UNAVAILABLE"
        message="The model provider did not answer (AuthenticationError: Error code: 401 - Incorrect API key provided). Your message is kept; send again to retry."
        onDismiss={() => {}}
        onRetry={onRetry}
        onOpenSettings={() => {}}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("refused the API key");
    expect(alert).not.toHaveTextContent("AuthenticationError");
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
    expect(screen.getByRole("button", { name: "Open settings" })).toBeInTheDocument();
  });

  it("offers Retry when the provider is only unreachable", () => {
    const onRetry = vi.fn();
    render(<RunErrorBanner code="MODEL_UNAVAILABLE" message="(APIConnectionError: Connection error.)" onDismiss={() => {}} onRetry={onRetry} />);
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalled();
  });

  it("has a sentence for every error code the API sends", () => {
    const codes = [
      "THREAD_NOT_FOUND", "ARTIFACT_NOT_FOUND", "DATASET_NOT_FOUND", "FILE_NOT_FOUND", "NOT_FOUND", "UNAUTHORIZED", "FORBIDDEN",
      "INVALID_SIGNATURE", "BAD_REQUEST", "INVALID_PATH", "INVALID_DATASET_ID", "CONFLICT", "OBJECT_ARCHIVED", "OBJECT_EXPIRED",
      "RUN_IN_PROGRESS", "THREAD_ARCHIVED", "INVALID_CONFIG", "PAYLOAD_TOO_LARGE", "SERVICE_UNAVAILABLE", "DATABASE_UNAVAILABLE",
      "STORAGE_UNAVAILABLE", "SANDBOX_UNAVAILABLE", "OPENDATA_UNAVAILABLE", "OPENDATA_ERROR", "MODEL_NOT_CONFIGURED",
      "MODEL_UNAVAILABLE", "MODEL_AUTH_FAILED", "MODEL_NOT_FOUND", "CONTEXT_OVERFLOW", "RECURSION_LIMIT", "RUN_INTERRUPTED", "SERVER_STOPPED", "INTERNAL_ERROR",
      "LIVE_STREAM_UNAVAILABLE", "VALIDATION_ERROR", "INVALID_TEXT", "QUOTA_EXCEEDED", "CONFIGURATION_ERROR", "METHOD_NOT_ALLOWED",
    ];
    for (const code of codes) {
      const e = explainError(code, "x: Input should be a valid integer");
      expect(e.title.length, code).toBeGreaterThan(5);
      expect(e.detail, code).not.toMatch(/Error\)|\(\w+Error/);
    }
    expect(explainError("DATABASE_UNAVAILABLE", "").action).toBe("retry");
    expect(explainError("MODEL_AUTH_FAILED", "").action).toBe("settings"); // the server's own code for a refused key
    expect(explainError("THREAD_NOT_FOUND", "").action).toBeNull();
    // a quota error says which limit, in the server's words (issue 13)
    expect(explainError("QUOTA_EXCEEDED", "All 2 sandboxes you may hold at once are busy").detail).toContain("All 2 sandboxes");
  });
});
