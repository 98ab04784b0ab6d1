import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Artifact, ChatEvent, Message } from "../api/types";
import { buildRows } from "../lib/history";
import { applyEvent, idleRun } from "../lib/run";
import { ApprovalCard } from "./ApprovalCard";

const DRAFT = "# Incidenti\n\n## Findings\n\n- 7,51 milioni";

describe("report approval (issue 15)", () => {
  it("an approval_required event keeps the draft; a new run starts without one", () => {
    const ev = { event: "approval_required", data: { type: "approval_required", agent: "report_writer", draft: DRAFT } } as ChatEvent;
    const s = applyEvent({ ...idleRun, running: true }, ev);
    expect(s.approval).toBe(DRAFT);
    expect(idleRun.approval).toBeNull();
  });

  it("shows the draft and sends approve or reject", () => {
    const onDecide = vi.fn();
    render(<ApprovalCard draft={DRAFT} onDecide={onDecide} />);
    const card = screen.getByTestId("approval-card");
    expect(screen.getByRole("heading", { name: "Incidenti" })).toBeInTheDocument();
    expect(card).toHaveTextContent("7,51 milioni");
    fireEvent.click(screen.getByRole("button", { name: "Approve" }));
    fireEvent.click(screen.getByRole("button", { name: "Reject" }));
    expect(onDecide.mock.calls).toEqual([["approve"], ["reject"]]);
  });

  it("Edit opens the draft in a textarea and sends the new text; Cancel goes back", () => {
    const onDecide = vi.fn();
    render(<ApprovalCard draft={DRAFT} onDecide={onDecide} />);
    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    const box = screen.getByRole("textbox", { name: "Report text (Markdown)" });
    expect(box).toHaveValue(DRAFT);
    fireEvent.change(box, { target: { value: "   " } });
    expect(screen.getByRole("button", { name: "Save edit" })).toBeDisabled();
    fireEvent.change(box, { target: { value: "# Mine" } });
    fireEvent.click(screen.getByRole("button", { name: "Save edit" }));
    expect(onDecide).toHaveBeenCalledWith("edit", "# Mine");
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(screen.getByTestId("approval-draft")).toHaveTextContent("7,51 milioni");
  });

  it("the report writer's message carries its two artifacts to its row", () => {
    const base = { created_at: "2026-01-01T00:00:00Z" };
    const file = (id: string, filename: string, mime: string): Artifact =>
      ({ id, thread_id: "t", filename, mime, size: 10, sha256: "x", created_at: base.created_at, url: `/blobs/${id}` }) as Artifact;
    const made = [file("m", "report-1.md", "text/markdown"), file("h", "report-1.html", "text/html")];
    const msgs: Message[] = [
      { ...base, artifacts: [], id: "u", role: "user", content: "Scrivi un report" },
      { ...base, artifacts: made, id: "a", role: "assistant", content: "The report was approved." },
      { ...base, artifacts: [], id: "b", role: "assistant", content: "Plain answer." },
    ];
    const rows = buildRows(msgs);
    expect(rows[1].kind === "assistant" && rows[1].artifacts).toEqual(made);
    expect(rows[2].kind === "assistant" && rows[2].artifacts).toBeUndefined();
  });
});
