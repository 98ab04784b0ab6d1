"""update_plan: the analyst's short to-do list for a multi-step question (issue 15), streamed as a `plan`
event and shown above the steps; each call replaces the whole list (as it stands now)."""

from __future__ import annotations

from typing import Annotated, Literal

from langchain_core.tools import BaseTool, InjectedToolCallId, tool
from pydantic import BaseModel, Field

from lgurban.agent.events import PlanEvent, PlanStep
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, as_text, guard

MAX_STEPS = 10


class StepIn(BaseModel):
    step: str = Field(min_length=1, max_length=200, description="what this step does, in a few words")
    status: Literal["pending", "in_progress", "done"] = "pending"


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The plan family's tools."""
    return [update_plan(ctx)]


def update_plan(ctx: ToolContext) -> BaseTool:
    @tool("update_plan", response_format="content_and_artifact")
    @guard
    async def run(
        steps: Annotated[list[StepIn], Field(min_length=1, max_length=MAX_STEPS)],
        tool_call_id: Annotated[str, InjectedToolCallId],
    ) -> ToolResult:
        """Show the user your plan for a question that needs several steps (find data, load, compute, plot…):
        2-6 short steps, each pending, in_progress (at most one) or done. Call it before the first step
        and again when a step is done; each call replaces the whole list. Not for one-step questions."""
        if sum(s.status == "in_progress" for s in steps) > 1:
            raise ValueError("at most one step can be in_progress")
        plan = [PlanStep(text=" ".join(s.step.split()), status=s.status) for s in steps]
        await ctx.send(PlanEvent(tool_call_id=tool_call_id, steps=plan))
        done = sum(s.status == "done" for s in plan)
        summary = f"Plan: {done} of {len(plan)} steps done"
        return as_text({"ok": True, "shown_to_user": True, "done": done, "steps": len(plan)}), {
            "ok": True,
            "summary": summary,
            "plan": [s.model_dump() for s in plan],
        }

    return run
