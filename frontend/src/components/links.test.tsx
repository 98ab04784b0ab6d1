import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ChatEvent, Message } from "../api/types";
import { buildRows } from "../lib/history";
import { linkOf } from "../lib/links";
import { applyEvent, idleRun } from "../lib/run";
import { ToolCard } from "./ToolCard";

const URL3D = "https://sitmappe.comune.bologna.it/Bologna3D/?center=11.343086,44.493813&level=18";

describe("view_3d_model's link card (issue 16)", () => {
  it("reads the link from a stored tool message and opens it in a new tab", () => {
    const base = { artifacts: [], created_at: "2026-01-01T00:00:00Z" };
    const meta = { ok: true, link: { url: URL3D, title: "3D model of Bologna at Piazza Maggiore", place: "Piazza Maggiore, Bologna" } };
    const msgs: Message[] = [
      { ...base, id: "1", role: "user", content: "3D" },
      { ...base, id: "2", role: "assistant", content: "", tool_calls: [{ id: "c", name: "view_3d_model", args: { place: "Piazza Maggiore" } }] },
      { ...base, id: "3", role: "tool", content: JSON.stringify({ url: URL3D }), tool_call_id: "c", tool_name: "view_3d_model", meta },
    ];
    const rows = buildRows(msgs);
    const tool = rows[1].kind === "assistant" ? rows[1].tools[0] : null;
    expect(tool?.link?.url).toBe(URL3D);
    render(<ToolCard tool={tool!} />);
    const card = screen.getByTestId("link-card");
    expect(card.getAttribute("href")).toBe(URL3D);
    expect(card.getAttribute("target")).toBe("_blank");
    expect(card.getAttribute("rel")).toContain("noopener");
    expect(card.textContent).toContain("3D model of Bologna at Piazza Maggiore");
    expect(card.textContent).toContain("sitmappe.comune.bologna.it");
  });

  it("gets the link while the run is live, from the stored tool message", () => {
    const ev = (event: string, data: Record<string, unknown>) => ({ event, data: { ...data, type: event, agent: "analyst" } }) as unknown as ChatEvent;
    let s = applyEvent(idleRun, ev("run_started", { run_id: "r" }));
    s = applyEvent(s, ev("tool_start", { tool_call_id: "c", name: "view_3d_model", args: { place: "Piazza Maggiore" } }));
    s = applyEvent(s, ev("tool_end", { tool_call_id: "c", name: "view_3d_model", ok: true, summary: "3D" }));
    const message = { id: "m", role: "tool", content: "{}", tool_call_id: "c", meta: { link: { url: URL3D, title: "3D" } }, artifacts: [], created_at: "" };
    s = applyEvent(s, ev("message", { message }));
    const tool = s.segments[0].kind === "tool" ? s.segments[0].tool : null;
    expect(tool?.link).toEqual({ url: URL3D, title: "3D", place: undefined });
    expect(s.stored).toHaveLength(1);
  });

  it("takes only http(s) links", () => {
    expect(linkOf({ link: { url: "javascript:alert(1)", title: "x" } })).toBeUndefined();
    expect(linkOf({ ok: true })).toBeUndefined();
    expect(linkOf(null)).toBeUndefined();
    expect(linkOf({ link: { url: "https://a.example/" } })?.title).toBe("https://a.example/");
  });
});
