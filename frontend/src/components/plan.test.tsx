// Issue 15, plan: the latest accepted update_plan call is the plan shown above the steps; plan calls are not
// counted as steps.
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { latestPlan } from "../lib/plan";
import { Plan } from "./Plan";
import { StepsGroup } from "./Steps";
import type { ToolCardData } from "./ToolCard";

const call = (id: string, name: string, args: Record<string, unknown>, extra: Partial<ToolCardData> = {}): ToolCardData => ({
  id, name, args, output: "", done: true, ok: true, artifacts: [], ...extra,
});
const plan = (id: string, ...statuses: string[]) =>
  call(id, "update_plan", { steps: statuses.map((status, i) => ({ step: `step ${i + 1}`, status })) });

describe("plan", () => {
  it("is the last update_plan call that was not refused, with unknown statuses read as pending", () => {
    const tools = [
      plan("p1", "in_progress", "pending"),
      call("c1", "execute_code", { code: "1" }),
      plan("p2", "done", "in_progress"),
      call("p3", "update_plan", { steps: [{ step: "x", status: "in_progress" }, { step: "y", status: "in_progress" }] }, { ok: false }),
    ];
    expect(latestPlan(tools)).toEqual([
      { text: "step 1", status: "done" },
      { text: "step 2", status: "in_progress" },
    ]);
    expect(latestPlan([call("p", "update_plan", { steps: [{ step: "a", status: "weird" }, { nope: 1 }] })])).toEqual([{ text: "a", status: "pending" }]);
    expect(latestPlan([call("c", "execute_code", {})])).toBeNull();
  });

  it("shows each step with its status, said in words for screen readers", () => {
    render(<Plan steps={[{ text: "Load", status: "done" }, { text: "Sum", status: "in_progress" }, { text: "Answer", status: "pending" }]} />);
    const items = screen.getAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-status"))).toEqual(["done", "in_progress", "pending"]);
    expect(items[1].textContent).toContain("Sum (in progress)");
    expect(screen.getByText(/Plan · 1 of 3 done/)).toBeInTheDocument();
  });

  it("does not count plan calls as steps, and a group of only plan calls shows nothing", () => {
    const { container, rerender } = render(<StepsGroup tools={[plan("p1", "pending"), call("c1", "execute_code", { code: "1" })]} />);
    expect(screen.getByRole("button", { name: /1 step/ })).toBeInTheDocument();
    rerender(<StepsGroup tools={[plan("p1", "pending")]} />);
    expect(container.querySelector('[data-testid="steps"]')).toBeNull();
  });
});
