import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ChatEvent, Message } from "../api/types";
import { buildRows } from "../lib/history";
import { markFigures } from "../lib/receipts";
import { applyEvent, idleRun } from "../lib/run";
import { Markdown } from "./Markdown";
import { turns } from "./MessageList";
import { StepsGroup } from "./Steps";
import { resultText, type ToolCardData } from "./ToolCard";

const answer = "Gli incidenti sono 7,51 milioni, il 12,5 % del totale; 99 casi.";
const receipts = [
  { text: "7,51 milioni", value: 7510000, execution_id: "ex-1", dataset_ids: ["incidenti"], start: 19, end: 31 },
  { text: "12,5 %", value: 12.5, execution_id: null, dataset_ids: ["incidenti"], start: 36, end: 42 },
];
const unverified = [{ text: "99", start: 55, end: 57 }];
const tool = (over: Partial<ToolCardData> = {}): ToolCardData => ({
  id: "c1",
  name: "execute_code",
  args: { code: "print(7512345)" },
  output: "7512345\n",
  done: true,
  ok: true,
  artifacts: [],
  executionId: "ex-1",
  ...over,
});

describe("receipts (issue 15)", () => {
  it("wraps each figure at its place as a link the Markdown view knows", () => {
    expect(answer.slice(19, 31)).toBe("7,51 milioni");
    expect(markFigures(answer, receipts, unverified)).toBe(
      "Gli incidenti sono [7,51 milioni](#receipt-0), il [12,5 %](#receipt-1) del totale; [99](#unverified-0) casi.",
    );
    expect(markFigures("abc", [{ ...receipts[0], start: 2, end: 40 }])).toBe("abc"); // out of range: left alone
  });

  it("renders receipts as buttons and unverified figures marked with a tooltip", () => {
    render(<Markdown text={answer} receipts={receipts} unverified={unverified} />);
    const [cell, metadata] = screen.getAllByTestId("receipt");
    expect(cell).toHaveTextContent("7,51 milioni");
    expect(cell).toHaveAttribute("title", expect.stringContaining("code cell"));
    expect(cell).toBeEnabled();
    expect(metadata).toHaveAttribute("title", expect.stringContaining("dataset incidenti"));
    expect(metadata).toBeDisabled(); // from the metadata: nothing to open
    const mark = screen.getByTestId("unverified");
    expect(mark).toHaveTextContent("99");
    expect(mark.getAttribute("title")).toMatch(/^Not verified/);
  });

  it("a receipt opens the folded steps and shows the cell that printed the figure", () => {
    render(
      <>
        <StepsGroup tools={[tool({ id: "c0", executionId: "ex-0", args: { code: "load()" } }), tool()]} />
        <Markdown text={answer} receipts={receipts} />
      </>,
    );
    expect(screen.getByRole("button", { name: /2 steps/ })).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByTestId("tool-card")).toBeNull();
    fireEvent.click(screen.getAllByTestId("receipt")[0]);
    const card = document.querySelector('[data-execution-id="ex-1"]');
    expect(card).not.toBeNull();
    expect(card).toHaveTextContent("print(7512345)");
    expect(screen.getByRole("button", { name: /2 steps/ })).toHaveAttribute("aria-expanded", "true");
  });

  it("shows a turn as written: the opening sentence before the steps, after a reload too", () => {
    const base = { artifacts: [], created_at: "2026-01-01T00:00:00Z" };
    const msgs: Message[] = [
      { ...base, id: "u", role: "user", content: "Quanti?" },
      { ...base, id: "a1", role: "assistant", content: "Carico i dati.", tool_calls: [{ id: "c1", name: "select_dataset", args: { dataset_id: "x" } }] },
      { ...base, id: "t1", role: "tool", content: "{}", tool_call_id: "c1", meta: { ok: true } },
      { ...base, id: "a2", role: "assistant", content: "", tool_calls: [{ id: "c2", name: "execute_code", args: { code: "1" } }] },
      { ...base, id: "t2", role: "tool", content: "{}", tool_call_id: "c2", meta: { ok: true, execution_id: "ex-2" } },
      { ...base, id: "a3", role: "assistant", content: answer, receipts, unverified },
    ];
    const rows = turns(buildRows(msgs));
    expect(rows.map((r) => r.kind)).toEqual(["user", "turn"]);
    const turn = rows[1].kind === "turn" ? rows[1] : null;
    expect(turn?.id).toBe("a3");
    expect(turn?.parts.map((p) => [p.text, p.tools.map((t) => t.id)])).toEqual([
      ["Carico i dati.", ["c1"]],
      ["", ["c2"]],
      [answer, []],
    ]);
    expect(turn?.parts[1].tools[0].executionId).toBe("ex-2");
    expect(turn?.parts[2].receipts).toEqual(receipts);
  });

  it("a finished Load dataset card never says null", () => {
    expect(resultText(tool({ name: "select_dataset", result: undefined, summary: "loaded datasets/x.parquet" }))).toBe(
      "loaded datasets/x.parquet",
    );
    expect(resultText(tool({ name: "select_dataset", result: "null", summary: undefined }))).toBe("");
  });

  it("drops the streamed draft when the answer is sent back", () => {
    const frame = (event: string, data: object) => ({ event, data: { type: event, agent: "analyst", ...data } }) as unknown as ChatEvent;
    let s = applyEvent(idleRun, frame("token", { text: "Draft with 37.5" }));
    s = applyEvent(s, frame("answer_check", { status: "revising", unverified: [{ text: "37.5", start: 11, end: 15 }] }));
    expect(s.segments).toEqual([]);
    s = applyEvent(s, frame("token", { text: "Revised." }));
    expect(s.segments).toEqual([{ kind: "text", text: "Revised." }]);
  });
});

describe("steps (issue 15, answer first)", () => {
  it("are folded when stored and open while the run goes; folded steps still show their files", () => {
    const art = { id: "a1", thread_id: "t", filename: "bike_counts.png", mime: "image/png", size: 10, sha256: "x", created_at: "2026-01-01T00:00:00Z", url: "/b" };
    const { unmount } = render(<StepsGroup tools={[tool({ artifacts: [art] })]} />);
    expect(screen.getByRole("button", { name: /1 step/ })).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByTestId("tool-card")).toBeNull();
    expect(screen.getAllByTestId("artifact")).toHaveLength(1); // once, not also inside a card
    unmount();
    render(<StepsGroup tools={[tool({ done: false })]} defaultOpen />);
    expect(screen.getByRole("button", { name: /1 step/ })).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByTestId("tool-card")).toHaveAttribute("data-status", "running");
  });
});
