// Issue 15, plan: the analyst's to-do list is the `steps` argument of its latest successful update_plan call
// (live from tool_start, stored from the message's tool calls); the calls themselves are not shown as steps.
import type { ToolCardData } from "../components/ToolCard";

export type PlanStatus = "pending" | "in_progress" | "done";
export type PlanStep = { text: string; status: PlanStatus };

export const PLAN_TOOL = "update_plan";
const STATUSES: readonly string[] = ["pending", "in_progress", "done"];

export const isPlanCall = (t: Pick<ToolCardData, "name">) => t.name === PLAN_TOOL;

/** The plan as it stands after the last update_plan call that was not refused; null when there is none. */
export function latestPlan(tools: ToolCardData[]): PlanStep[] | null {
  for (let i = tools.length - 1; i >= 0; i--) {
    const t = tools[i];
    if (!isPlanCall(t) || t.ok === false || !Array.isArray(t.args.steps)) continue;
    const steps = (t.args.steps as unknown[]).flatMap((s) => {
      if (!s || typeof s !== "object") return [];
      const { step, status } = s as { step?: unknown; status?: unknown };
      if (typeof step !== "string" || !step.trim()) return [];
      return [{ text: step, status: (STATUSES.includes(String(status)) ? status : "pending") as PlanStatus }];
    });
    if (steps.length) return steps;
  }
  return null;
}
