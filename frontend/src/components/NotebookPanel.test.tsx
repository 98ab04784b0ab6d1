import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotebookPanel } from "./NotebookPanel";
import { CellError } from "./Outputs";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const result = (over: Record<string, unknown> = {}) => ({
  id: "e1",
  ok: true,
  stdout: "first\nsecond\n",
  stderr: "",
  outputs: [{ mime: "text/plain", data: "42", bundle: 0, is_result: true }],
  error: null,
  artifacts: [],
  duration_ms: 5,
  notes: [],
  execution_count: 1,
  ...over,
});

/** A fake server: the streaming /execute answers with a body the test writes to, chunk by chunk. */
function fakeServer() {
  const encoder = new TextEncoder();
  let stream: ReadableStreamDefaultController<Uint8Array> | null = null;
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    if (url.endsWith("/executions") || url.includes("/files?") || url.endsWith("/files") && init.method !== "POST") return json({ items: [] });
    if (url.endsWith("/files")) return json({ path: "uploads/quartieri.csv", size: 4, bytes: 4, modified_at: "2026-01-01T00:00:00Z" }, 201);
    if (url.endsWith("/sandbox/restart")) return json({ status: "restarted" }, 202);
    if (url.endsWith("/execute")) {
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (stream = c) });
      init.signal?.addEventListener("abort", () => stream?.error(new DOMException("aborted", "AbortError")));
      return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
    }
    return json({}, 404);
  });
  const send = (event: string, data: unknown) => stream!.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  const end = () => stream!.close();
  return { fetchMock, calls, send, end, ready: () => stream !== null };
}

function renderPanel(threadId: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <NotebookPanel threadId={threadId} onOpenArtifact={() => {}} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("NotebookPanel", () => {
  it("shows the output while the cell runs, then its result", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    renderPanel("t-stream");
    await userEvent.type(screen.getByLabelText("Code cell"), "print('first')");
    await userEvent.click(screen.getByRole("button", { name: "▶ Run" }));
    await waitFor(() => expect(server.ready()).toBe(true));
    const execute = server.calls.find((c) => c.url.endsWith("/execute"))!;
    expect((execute.init.headers as Record<string, string>).Accept).toBe("text/event-stream");
    server.send("output", { stream: "stdout", text: "first\n" });
    expect(await screen.findByTestId("cell-live")).toHaveTextContent("first");
    expect(screen.getByRole("button", { name: "■ Interrupt" })).toBeInTheDocument();
    server.send("output", { stream: "stdout", text: "second\n" });
    await waitFor(() => expect(screen.getByTestId("cell-live").textContent).toBe("first\nsecond\n"));
    server.send("result", result());
    server.end();
    const done = await screen.findByTestId("cell-result");
    expect(within(done).getByText("42")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "▶ Run" })).toBeInTheDocument();
  });

  it("Interrupt aborts the request and says the cell was interrupted, keeping what it printed", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    renderPanel("t-interrupt");
    await userEvent.type(screen.getByLabelText("Code cell"), "import time; time.sleep(60)");
    await userEvent.click(screen.getByRole("button", { name: "▶ Run" }));
    await waitFor(() => expect(server.ready()).toBe(true));
    server.send("output", { stream: "stdout", text: "started\n" });
    await screen.findByTestId("cell-live");
    await userEvent.click(screen.getByRole("button", { name: "■ Interrupt" }));
    const stopped = await screen.findByTestId("cell-interrupted");
    expect(stopped).toHaveTextContent("Interrupted");
    expect(stopped).toHaveTextContent("started");
    const execute = server.calls.find((c) => c.url.endsWith("/execute"))!;
    expect(execute.init.signal?.aborted).toBe(true);
    expect(screen.getByRole("button", { name: "▶ Run" })).toBeEnabled(); // the next cell can run at once
  });

  it("Restart asks first: Escape and Cancel keep the variables, Restart restarts", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    renderPanel("t-restart");
    const restarts = () => server.calls.filter((c) => c.url.endsWith("/sandbox/restart")).length;
    await userEvent.click(screen.getByRole("button", { name: "Restart sandbox" }));
    expect(screen.getByRole("alertdialog", { name: "Restart the sandbox?" })).toHaveTextContent("Every variable is cleared");
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Restart sandbox" }));
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(restarts()).toBe(0);
    await userEvent.click(screen.getByRole("button", { name: "Restart sandbox" }));
    await userEvent.click(screen.getByRole("button", { name: "Restart" }));
    expect(await screen.findByRole("button", { name: "Restarted ✓" })).toBeInTheDocument();
    expect(restarts()).toBe(1);
  });

  it("uploads a picked file with the composer's API and shows the path it got", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    renderPanel("t1");
    await userEvent.upload(screen.getByLabelText("File to upload to the workspace"), new File(["a\n1\n"], "quartieri.csv", { type: "text/csv" }));
    const list = await screen.findByTestId("notebook-uploads");
    await within(list).findByText("uploads/quartieri.csv");
    const post = server.calls.find((c) => c.url === "/api/threads/t1/files" && c.init.method === "POST")!;
    expect((post.init.body as FormData).get("file")).toBeInstanceOf(File);
    expect(within(list).getByRole("button", { name: "Copy path" })).toBeInTheDocument();
  });

  it("a streamed error event is shown as the message", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    renderPanel("t-error");
    await userEvent.type(screen.getByLabelText("Code cell"), "1");
    await userEvent.click(screen.getByRole("button", { name: "▶ Run" }));
    await waitFor(() => expect(server.ready()).toBe(true));
    server.send("error", { error: { code: "SANDBOX_UNAVAILABLE", message: "Every sandbox is busy.", status: 503 } });
    server.end();
    expect(await screen.findByText("Every sandbox is busy.")).toBeInTheDocument();
  });
});

describe("NotebookPanel, more", () => {
  it("a file dropped on the panel is uploaded", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    renderPanel("t-drop");
    const file = new File(["a\n1\n"], "quartieri.csv", { type: "text/csv" });
    fireEvent.drop(screen.getByTestId("notebook"), { dataTransfer: { files: [file] } });
    await within(await screen.findByTestId("notebook-uploads")).findByText("uploads/quartieri.csv");
    expect(server.calls.some((c) => c.url === "/api/threads/t-drop/files" && c.init.method === "POST")).toBe(true);
  });

  it("leaving the panel and coming back keeps the running cell and its output", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetchMock);
    const first = renderPanel("t-back");
    await userEvent.type(screen.getByLabelText("Code cell"), "print(1)");
    await userEvent.click(screen.getByRole("button", { name: "▶ Run" }));
    await waitFor(() => expect(server.ready()).toBe(true));
    first.unmount(); // the user opens the Chat tab
    server.send("output", { stream: "stdout", text: "while away\n" });
    renderPanel("t-back");
    expect(await screen.findByTestId("cell-live")).toHaveTextContent("while away");
    const execute = server.calls.find((c) => c.url.endsWith("/execute"))!;
    expect(execute.init.signal?.aborted).toBe(false);
    server.send("result", result({ id: "e-back", stdout: "while away\n" }));
    server.end();
    expect(await screen.findByTestId("cell-result")).toHaveTextContent("42");
  });
});

describe("CellError", () => {
  it("puts the one-line summary first and folds the traceback (colour codes removed)", () => {
    const esc = String.fromCharCode(27);
    const tb = `${esc}[0;31mTraceback (most recent call last)${esc}[0m\n  Cell In[1], line 1\n----> 1 1 / 0\nZeroDivisionError: division by zero`;
    render(<CellError name="ZeroDivisionError" value="division by zero" traceback={tb} />);
    const box = screen.getByTestId("cell-error");
    expect(box.firstElementChild).toHaveTextContent(/^ZeroDivisionError: division by zero$/);
    const details = box.querySelector("details")!;
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")).toHaveTextContent("Traceback");
    expect(details.querySelector("pre")!.textContent).toContain("----> 1 1 / 0");
    expect(details.textContent).not.toContain(esc);
  });

  it("shows no fold when there is no traceback beyond the summary", () => {
    render(<CellError name="SandboxStopped" value="the sandbox was stopped" traceback="" />);
    expect(screen.getByTestId("cell-error").querySelector("details")).toBeNull();
  });
});
