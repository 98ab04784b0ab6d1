import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ChatEvent, Message, Review } from "../api/types";
import { buildRows } from "../lib/history";
import { applyEvent, idleRun } from "../lib/run";
import { turns } from "./MessageList";
import { ReviewBadge } from "./ReviewBadge";

const frame = (event: string, data: object) => ({ event, data: { type: event, agent: "reviewer", ...data } }) as unknown as ChatEvent;

describe("review badge (issue 15, the reviewer)", () => {
  it("shows the scores and how often the answer was sent back", () => {
    const review: Review = { completeness: 2, relevancy: 4, verdict: "low", reroutes: 1, critique: "Name the district." };
    render(<ReviewBadge review={review} />);
    const badge = screen.getByTestId("review-badge");
    expect(badge).toHaveAttribute("data-verdict", "low");
    expect(badge).toHaveTextContent("C 2/5 · R 4/5");
    expect(badge).toHaveTextContent("↻ 1");
    expect(badge.getAttribute("title")).toBe(
      "Completeness 2/5, relevancy 4/5. Revised 1 time after review. Still below the reviewer's bar. Critique: Name the district.",
    );
  });

  it("a passing answer shows no reroutes; a skipped review no scores; no review no badge", () => {
    const { unmount } = render(<ReviewBadge review={{ completeness: 5, relevancy: 4, verdict: "pass", reroutes: 0 }} />);
    expect(screen.getByTestId("review-badge")).toHaveTextContent(/^ReviewedC 5\/5 · R 4\/5$/);
    unmount();
    const skipped = render(<ReviewBadge review={{ completeness: null, relevancy: null, verdict: "skipped", reroutes: 0 }} />);
    expect(screen.getByTestId("review-badge")).toHaveTextContent(/^Review skipped$/);
    skipped.unmount();
    const { container } = render(<ReviewBadge review={null} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("the stored answer's review reaches its row in the message list", () => {
    const base = { artifacts: [], created_at: "2026-01-01T00:00:00Z" };
    const review: Review = { completeness: 5, relevancy: 5, verdict: "pass", reroutes: 0 };
    const msgs: Message[] = [
      { ...base, id: "u", role: "user", content: "Parks?" },
      { ...base, id: "a", role: "assistant", content: "Many parks.", review },
    ];
    const rows = turns(buildRows(msgs));
    const turn = rows[1].kind === "turn" ? rows[1] : null;
    expect(turn?.parts[0].review).toEqual(review);
  });

  it("drops the streamed draft when the reviewer sends it back, keeps it otherwise", () => {
    let s = applyEvent(idleRun, frame("token", { text: "Draft about parks." }));
    const revise = { completeness: 2, relevancy: 4, verdict: "revise", reroutes: 1, critique: "Name the district." };
    s = applyEvent(s, frame("review", { review: revise }));
    expect(s.segments).toEqual([]);
    s = applyEvent(s, frame("token", { text: "Revised." }));
    s = applyEvent(s, frame("review", { review: { ...revise, verdict: "low" } }));
    expect(s.segments).toEqual([{ kind: "text", text: "Revised." }]);
  });
});
