// Issue 19: a searched thread shows where it matched, the hits marked, and the text stays text.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { highlight, MatchSnippet } from "./MatchSnippet";
import { Sidebar } from "./Sidebar";

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
const base = {
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
  archived_at: null,
  config: { model: "openai:fake", temperature: 0.2, system_prompt: null, context_window: 8192 },
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("highlight", () => {
  it("cuts the text into plain and hit segments", () => {
    expect(highlight("The Navile district", [[4, 10]])).toEqual([
      { text: "The ", hit: false },
      { text: "Navile", hit: true },
      { text: " district", hit: false },
    ]);
  });

  it("counts code points, as the server does, so an emoji before a hit does not shift it", () => {
    const segments = highlight("🚲 piste ciclabili", [[8, 17]]);
    expect(segments.filter((s) => s.hit).map((s) => s.text)).toEqual(["ciclabili"]);
  });

  it("clips ranges out of order, overlapping or past the end instead of failing", () => {
    expect(highlight("abc def", [[4, 99], [0, 2], [1, 3]])).toEqual([
      { text: "ab", hit: true },
      { text: "c", hit: true },
      { text: " ", hit: false },
      { text: "def", hit: true },
    ]);
    expect(highlight("abc", [])).toEqual([{ text: "abc", hit: false }]);
    expect(highlight("", [[0, 3]])).toEqual([]);
  });
});

describe("MatchSnippet", () => {
  it("marks the hit and keeps markup in a message as text", () => {
    const text = '<img src=x onerror="alert(1)"> Navile';
    const { container } = render(
      <MatchSnippet match={{ text, ranges: [[31, 37]], field: "message", message_id: null, role: "assistant", earlier_version: false }} />,
    );
    expect(container.querySelector("img")).toBeNull();
    expect(screen.getByTestId("thread-match").textContent).toBe(text);
    expect(container.querySelector("mark")?.textContent).toBe("Navile");
  });

  it("says when the hit is in an earlier version of an exchange", () => {
    render(<MatchSnippet match={{ text: "trees in Navile", ranges: [[9, 15]], field: "message", earlier_version: true }} />);
    expect(screen.getByTestId("thread-match").textContent).toBe("earlier version:trees in Navile");
  });

  it("shows nothing for a title hit: the title is the match", () => {
    const { container } = render(<MatchSnippet match={{ text: "Air", ranges: [[0, 3]], field: "title", earlier_version: false }} />);
    expect(container.textContent).toBe("");
  });
});

describe("the sidebar search", () => {
  it("shows the snippet under the title with the hit highlighted", async () => {
    const hit = {
      ...base,
      id: "11111111-1111-1111-1111-111111111111",
      title: "Incidenti stradali",
      match: { text: "…quartiere **Navile** has", ranges: [[13, 19]], field: "message", role: "assistant", earlier_version: false },
    };
    const plain = { ...base, id: "22222222-2222-2222-2222-222222222222", title: "Parcheggi" };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        const q = new URL(url, "http://x").searchParams.get("q");
        return json({ items: q ? [hit] : [plain, { ...hit, match: null }], next_cursor: null });
      }),
    );
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <Sidebar activeId={null} onSelect={() => {}} onNew={() => {}} />
      </QueryClientProvider>,
    );
    expect(await screen.findByText("Parcheggi")).toBeInTheDocument();
    expect(screen.queryByTestId("thread-match")).toBeNull(); // an unsearched list has no snippets
    fireEvent.change(screen.getByRole("searchbox", { name: "Search threads" }), { target: { value: "navile" } });
    const row = await waitFor(() => {
      expect(screen.queryByText("Parcheggi")).toBeNull();
      return screen.getByTestId("thread-item");
    });
    expect(within(row).getByText("Incidenti stradali")).toBeInTheDocument();
    expect(within(row).getByTestId("thread-match").textContent).toBe("…quartiere **Navile** has");
    expect(row.querySelector("mark")?.textContent).toBe("Navile");
  });
});
