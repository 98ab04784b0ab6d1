import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Artifact, ChatEvent, ChatEventType, Message, StreamEvent, Upload } from "../api/types";
import { buildRows } from "../lib/history";
import { applyEvent, idleRun } from "../lib/run";
import { ArtifactView } from "./Artifact";
import { RunErrorBanner } from "./Banner";
import { Composer } from "./Composer";
import { Markdown } from "./Markdown";
import { htmlTable } from "./Outputs";
import { resultText, ToolCard } from "./ToolCard";

const artifact = (over: Partial<Artifact> = {}): Artifact => ({
  id: "a1",
  thread_id: "t1",
  filename: "plot.png",
  mime: "image/png",
  size: 2048,
  sha256: "x",
  created_at: "2026-01-01T00:00:00Z",
  url: "/blobs/abc?sig=1",
  ...over,
});

describe("Composer", () => {
  it("sends on Enter and adds a line on Shift+Enter", async () => {
    const onSend = vi.fn();
    render(<Composer scope="t1" running={false} onSend={onSend} onStop={() => {}} />);
    const box = screen.getByLabelText("Message");
    await userEvent.type(box, "first{Shift>}{Enter}{/Shift}second");
    expect(box).toHaveValue("first\nsecond");
    expect(onSend).not.toHaveBeenCalled();
    await userEvent.type(box, "{Enter}");
    expect(onSend).toHaveBeenCalledWith("first\nsecond");
    expect(box).toHaveValue("");
  });

  it("uploads the chosen file to the thread and shows it as a chip", async () => {
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify({ path: "uploads/q.csv", bytes: 4, size: 4, modified_at: "2026-01-01T00:00:00Z" }), {
        status: 201,
        headers: { "Content-Type": "application/json" },
      }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const onUploaded = vi.fn();
    try {
      render(<Composer scope="up1" running={false} onSend={() => {}} onStop={() => {}} threadId="t1" onUploaded={onUploaded} />);
      expect(screen.getByLabelText("Upload a file")).toBeInTheDocument();
      await userEvent.upload(screen.getByLabelText("File to upload"), new File(["a\n1\n"], "q.csv", { type: "text/csv" }));
      expect(await screen.findByText("uploads/q.csv")).toBeInTheDocument();
      const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
      expect(url).toBe("/api/threads/t1/files");
      expect(init.method).toBe("POST");
      expect((init.body as FormData).get("file")).toBeInstanceOf(File);
      expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ path: "uploads/q.csv", bytes: 4 }));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("shows an upload's error on its chip, and no paperclip without a thread", async () => {
    const upload = vi.fn(async (_thread: string, _file: File): Promise<Upload> => {
      throw new Error("the file is over the 512 MiB allowed (UPLOAD_MAX_MB)");
    });
    const { rerender } = render(<Composer scope="up2" running={false} onSend={() => {}} onStop={() => {}} threadId="t1" upload={upload} />);
    await userEvent.upload(screen.getByLabelText("File to upload"), new File(["x"], "big.bin"));
    expect(await screen.findByText(/big.bin: the file is over the 512 MiB/)).toBeInTheDocument();
    const dropped = new File(["a"], "dropped.csv");
    upload.mockImplementationOnce(async () => ({ path: "uploads/dropped.csv", bytes: 1, size: 1, modified_at: "" }));
    fireEvent.drop(screen.getByLabelText("Message"), { dataTransfer: { files: [dropped] } });
    expect(await screen.findByText("uploads/dropped.csv")).toBeInTheDocument();
    expect(upload).toHaveBeenLastCalledWith("t1", dropped);
    rerender(<Composer scope="up2" running={false} onSend={() => {}} onStop={() => {}} />);
    expect(screen.queryByLabelText("Upload a file")).toBeNull();
  });

  it("shows Stop while running and Continue after a stop", () => {
    const onStop = vi.fn();
    const onSend = vi.fn();
    const { rerender } = render(<Composer scope="t1" running onSend={onSend} onStop={onStop} />);
    fireEvent.click(screen.getByText("■ Stop"));
    expect(onStop).toHaveBeenCalled();
    rerender(<Composer scope="t1" running={false} stopped onSend={onSend} onStop={onStop} />);
    fireEvent.click(screen.getByText("Continue"));
    expect(onSend).toHaveBeenCalledTimes(1);
  });
});

describe("ToolCard", () => {
  it("shows code, live output, and collapses", () => {
    render(
      <ToolCard
        tool={{ id: "c1", name: "run_python", args: { code: "print(1+1)" }, output: "2\n", done: false, artifacts: [] }}
      />,
    );
    expect(screen.getByTestId("tool-card")).toHaveAttribute("data-status", "running");
    expect(screen.getByText("print(1+1)")).toBeInTheDocument();
    expect(screen.getByTestId("tool-output")).toHaveTextContent("2");
    fireEvent.click(screen.getByRole("button", { expanded: true }));
    expect(screen.queryByTestId("tool-output")).toBeNull();
  });

  it("shows an error result in the error style", () => {
    render(
      <ToolCard tool={{ id: "c1", name: "run_python", args: { code: "1/0" }, output: "", done: true, ok: false, result: "ZeroDivisionError", artifacts: [] }} />,
    );
    expect(screen.getByTestId("tool-card")).toHaveAttribute("data-status", "error");
    expect(screen.getByText("Error")).toBeInTheDocument();
  });
});

describe("resultText", () => {
  const base = { id: "c", name: "execute_code", args: {}, done: true, artifacts: [] };
  it("shows a code tool's error, not its JSON", () => {
    const result = JSON.stringify({ ok: false, stdout: "", error: { name: "KeyError", value: "'x'" } });
    expect(resultText({ ...base, output: "", result })).toBe("KeyError: 'x'");
  });
  it("does not repeat output already shown", () => {
    const result = JSON.stringify({ ok: true, stdout: "rows: 5\n", error: null });
    expect(resultText({ ...base, output: "rows: 5\n", result, summary: "" })).toBe("");
  });
  it("pretty-prints other tools' JSON and keeps plain text", () => {
    expect(resultText({ ...base, output: "", result: '[{"id":"a"}]' })).toContain('"id": "a"');
    expect(resultText({ ...base, output: "", result: "done" })).toBe("done");
  });
});

describe("ArtifactView", () => {
  it("shows an image inline with a download link", () => {
    render(<ArtifactView artifact={artifact()} />);
    expect(screen.getByRole("img")).toHaveAttribute("src", "/blobs/abc?sig=1");
    expect(screen.getByTestId("artifact-download")).toHaveAttribute("download", "plot.png");
  });

  it("sandboxes HTML without allow-same-origin", () => {
    const { container } = render(<ArtifactView artifact={artifact({ filename: "map.html", mime: "text/html" })} />);
    const sandbox = container.querySelector("iframe")!.getAttribute("sandbox")!;
    expect(sandbox).toContain("allow-scripts");
    expect(sandbox).not.toContain("allow-same-origin");
  });
});

describe("Markdown", () => {
  it("renders GitHub tables and code blocks", () => {
    const { container } = render(<Markdown text={"| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```"} />);
    expect(container.querySelector("table td")).toHaveTextContent("1");
    expect(container.querySelector("pre")).toHaveTextContent("x = 1");
  });
});

describe("RunErrorBanner", () => {
  it("says what to set when no model is configured", () => {
    render(<RunErrorBanner code="MODEL_NOT_CONFIGURED" message="no key" onDismiss={() => {}} />);
    expect(screen.getByRole("alert")).toHaveTextContent("OPENAI_API_KEY");
  });
});

/** A stream frame as the backend sends it: `data` is the whole event, its type and agent included. */
function frame<K extends ChatEventType>(type: K, data: Omit<Extract<StreamEvent, { type: K }>, "type" | "agent">): ChatEvent {
  return { event: type, data: { ...data, type, agent: "analyst" } } as unknown as ChatEvent;
}

describe("run reducer and history", () => {
  it("accumulates tokens and tool events", () => {
    let s = applyEvent(idleRun, frame("run_started", { run_id: "r" }));
    s = applyEvent(s, frame("token", { text: "Hel" }));
    s = applyEvent(s, frame("token", { text: "lo" }));
    s = applyEvent(s, frame("tool_start", { tool_call_id: "c", name: "run_python", args: { code: "1" } }));
    s = applyEvent(s, frame("tool_output", { tool_call_id: "c", stream: "stdout", text: "out" }));
    s = applyEvent(s, frame("artifact", { artifact: artifact({ tool_call_id: "c" }) }));
    s = applyEvent(s, frame("tool_end", { tool_call_id: "c", name: "run_python", ok: true, summary: "ok" }));
    s = applyEvent(s, frame("done", { run_id: "r", status: "done" }));
    expect(s.running).toBe(false);
    expect(s.segments[0]).toEqual({ kind: "text", text: "Hello" });
    const tool = s.segments[1].kind === "tool" ? s.segments[1].tool : null;
    expect(tool).toMatchObject({ output: "out", done: true, ok: true });
    expect(tool?.artifacts).toHaveLength(1);
  });

  it("pairs tool calls with their results", () => {
    const base = { artifacts: [], created_at: "2026-01-01T00:00:00Z" };
    const msgs: Message[] = [
      { ...base, id: "1", role: "user", content: "q" },
      { ...base, id: "2", role: "assistant", content: "", tool_calls: [{ id: "c", name: "run_python", args: { code: "1" } }] },
      { ...base, id: "3", role: "tool", content: "1", tool_call_id: "c", meta: { ok: true }, artifacts: [artifact()] },
      { ...base, id: "4", role: "assistant", content: "done" },
    ];
    const rows = buildRows(msgs);
    expect(rows.map((r) => r.kind)).toEqual(["user", "assistant", "assistant"]);
    const tools = rows[1].kind === "assistant" ? rows[1].tools : [];
    expect(tools[0]).toMatchObject({ result: "1", ok: true });
    expect(tools[0].artifacts).toHaveLength(1);
  });
});

describe("Sidebar", () => {
  it("lists threads newest first and filters by title", async () => {
    const items = [
      { id: "1", title: "Old bikes", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", archived_at: null, config: {} },
      { id: "2", title: "New air quality", created_at: "2026-01-02T00:00:00Z", updated_at: "2026-01-03T00:00:00Z", archived_at: null, config: {} },
    ];
    vi.stubGlobal(
      "fetch",
      // the server filters on ?q= (titles and messages); this one knows titles only
      vi.fn(async (url: string) => {
        const q = new URL(url, "http://x").searchParams.get("q")?.toLowerCase();
        const hits = q ? items.filter((t) => t.title.toLowerCase().includes(q)) : items;
        return new Response(JSON.stringify({ items: hits, next_cursor: null }), { headers: { "Content-Type": "application/json" } });
      }),
    );
    const { Sidebar } = await import("./Sidebar");
    render(
      <QueryClientProvider client={new QueryClient()}>
        <Sidebar activeId={null} onSelect={() => {}} onNew={() => {}} />
      </QueryClientProvider>,
    );
    const rows = await screen.findAllByTestId("thread-item");
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining("New air"), expect.stringContaining("Old bikes")]);
    await userEvent.type(screen.getByLabelText("Search threads"), "bikes");
    await waitFor(() => expect(screen.getAllByTestId("thread-item")).toHaveLength(1));
    vi.unstubAllGlobals();
  });
});

describe("htmlTable", () => {
  it("reads a DataFrame's HTML table as text", () => {
    const html =
      '<div><style>.x{}</style><table class="dataframe"><thead><tr><th></th><th>a</th></tr></thead>' +
      "<tbody><tr><th>0</th><td>1</td></tr><tr><th>1</th><td>2</td></tr></tbody></table></div>";
    expect(htmlTable(html)).toEqual({ columns: ["", "a"], rows: [["0", "1"], ["1", "2"]] });
  });
  it("leaves anything with scripts or several tables to the sandboxed iframe", () => {
    expect(htmlTable("<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table><script>x()</script>")).toBeNull();
    expect(htmlTable("<p>no table</p>")).toBeNull();
  });
});
