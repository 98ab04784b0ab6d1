// Issue 19, second part: search over messages, copy buttons, polish, shortcuts.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import { Markdown } from "./Markdown";
import { Sidebar } from "./Sidebar";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const thread = (id: string, title: string) => ({
  id,
  title,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
  archived_at: null,
  config: { model: "openai:fake", temperature: 0.2, system_prompt: null, context_window: 8192 },
});
const accidents = thread("11111111-1111-1111-1111-111111111111", "Incidenti stradali");
const parking = thread("22222222-2222-2222-2222-222222222222", "Parcheggi");

function fakeThreads() {
  const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
    const q = new URL(url, "http://x").searchParams.get("q");
    // the server finds "Navile" in an answer of the accidents thread: its title does not say it
    if (q) return json({ items: q.toLowerCase().startsWith("navi") ? [accidents] : [], next_cursor: null });
    return json({ items: [accidents, parking], next_cursor: null });
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function renderSidebar() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <Sidebar activeId={null} onSelect={() => {}} onNew={() => {}} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("thread search", () => {
  it("asks the server, which searches the messages too", async () => {
    const fetchMock = fakeThreads();
    renderSidebar();
    expect(await screen.findByText("Parcheggi")).toBeInTheDocument();
    fireEvent.change(screen.getByRole("searchbox", { name: "Search threads" }), { target: { value: "Navile" } });
    await waitFor(() => {
      expect(screen.queryByText("Parcheggi")).toBeNull();
      expect(screen.getByText("Incidenti stradali")).toBeInTheDocument();
    });
    expect(fetchMock.mock.calls.some(([url]) => String(url).includes("q=Navile"))).toBe(true);
  });
});

function fakeClipboard() {
  const writes: string[] = [];
  Object.defineProperty(navigator, "clipboard", {
    configurable: true,
    value: { writeText: vi.fn(async (t: string) => void writes.push(t)) },
  });
  return writes;
}

describe("copy buttons", () => {
  const answer = "Counts by quarter:\n\n| quarter | count |\n|---|---|\n| Navile | 1,204 |\n| Porto, \"centro\" | 87 |\n\n```python\nprint(df.head())\n```\n";

  it("copies a code block and a table as CSV", async () => {
    const writes = fakeClipboard();
    render(<Markdown text={answer} />);
    fireEvent.click(screen.getByRole("button", { name: "Copy code" }));
    await waitFor(() => expect(writes).toEqual(["print(df.head())"]));
    fireEvent.click(screen.getByRole("button", { name: "Copy as CSV" }));
    await waitFor(() => expect(writes[1]).toBe('quarter,count\nNavile,"1,204"\n"Porto, ""centro""",87\n'));
    expect(await screen.findAllByText("Copied")).not.toHaveLength(0);
  });
});

describe("polish", () => {
  it("Escape closes the delete confirmation, and only it", async () => {
    const fetchMock = fakeThreads();
    renderSidebar();
    const row = (await screen.findByText("Parcheggi")).closest("li")!;
    fireEvent.click(within(row).getByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("alertdialog");
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(fetchMock.mock.calls.some(([, init]) => (init as RequestInit | undefined)?.method === "DELETE")).toBe(false);
  });
});

describe("keyboard shortcuts", () => {
  function renderApp() {
    fakeThreads();
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    return render(
      <QueryClientProvider client={qc}>
        <App />
      </QueryClientProvider>,
    );
  }

  it("? opens the sheet (not while typing), / and Ctrl+K focus the composer and the search", async () => {
    renderApp();
    const box = await screen.findByLabelText("Message");
    fireEvent.keyDown(box, { key: "?" }); // typing a question mark stays a question mark
    expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull();
    fireEvent.keyDown(document.body, { key: "?" });
    const sheet = screen.getByRole("dialog", { name: "Keyboard shortcuts" });
    for (const label of ["New thread", "Focus the message box", "Stop the running answer", "Search threads and messages"]) {
      expect(within(sheet).getByText(label)).toBeInTheDocument();
    }
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull();

    fireEvent.keyDown(document.body, { key: "/" });
    expect(box).toHaveFocus();
    fireEvent.keyDown(box, { key: "k", ctrlKey: true }); // a modifier works from inside the box
    await waitFor(() => expect(screen.getByRole("searchbox", { name: "Search threads" })).toHaveFocus());
    fireEvent.keyDown(screen.getByRole("searchbox", { name: "Search threads" }), { key: "/" });
    expect(screen.getByRole("searchbox", { name: "Search threads" })).toHaveFocus();
  });

  it("Ctrl+Shift+O opens a new thread from a thread", async () => {
    window.history.replaceState(null, "", `/t/${accidents.id}`);
    renderApp();
    await screen.findByLabelText("Message");
    fireEvent.keyDown(document.body, { key: "O", ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(window.location.pathname).toBe("/"));
    window.history.replaceState(null, "", "/");
  });
});
