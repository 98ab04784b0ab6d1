"""The analyst graph: model → tools → model … until the model answers without calling a tool.

HOW TO USE
    from lgurban.agent.graph import build_graph
    from lgurban.agent.providers import make_chat_model, helper_model
    from lgurban.agent.tools import make_tools

    llm = make_chat_model(settings, thread.model, thread.temperature)   # ModelNotConfigured → `error` event
    tools = make_tools(resources=..., thread_id=..., user_id=..., run_id=..., emit=emit)
    graph = build_graph(llm=llm, tools=tools, checkpointer=checkpointer,
                        # optional, all with sensible defaults:
                        system_prompt=thread.system_prompt,            # the thread's extra instructions
                        context_window=thread.context_window or settings.llm_context_window,
                        model_id=thread.model or settings.llm_model,   # for token estimates
                        summarizer=helper_model(settings, thread.model),  # summaries of older turns
                        emit=emit,                                     # `context` events after a summary
                        recursion_limit=settings.agent_recursion_limit,
                        on_first_answer=callback)   # (question, answer): e.g. start the title task
    # or all of that at once for a run: `await lgurban.agent.analyst.build_analyst(ctx)` (ctx: RunContext)
    graph.astream({"messages": [HumanMessage(content)]},
                  {"configurable": {"thread_id": str(thread.id)}, "recursion_limit": ...},
                  stream_mode=["messages", "updates"])

State (AgentState): `messages` (add_messages reducer; every message ever exchanged, the full history),
`summary` (text replacing the older turns in what the model sees) and `summary_until` (id of the last message
the summary covers). Nodes return partial updates only:
- "agent": {"messages": [AIMessage]} — plus, when the model sent tool calls whose arguments were not valid
  JSON, one ToolMessage(status="error") per such call saying what to fix; plus {"summary", "summary_until"}
  when the window was past 90 % and older turns were summarised first (the summary call is tagged "nostream",
  so it never shows up as `token` events). Emits a ContextEvent then.
- "tools": LangGraph's ToolNode: {"messages": [ToolMessage…]}; a tool's own failure or arguments that do not
  match its schema come back as ToolMessage(status="error") the model can act on.
- "verify" (issue 15, receipts): after a final answer, its figures matched to the tool outputs
  (lgurban.agent.receipts): {"check": {"receipts", "unverified", "retry"}}; when figures are unverified and
  this turn was not sent back yet, also {"messages": [HumanMessage(name=CHECK_NOTE)]} listing them, and the
  answer goes back to the analyst once. `check["review"]` says whether a review follows.
- "review" (issue 15, only with a `reviewer`; lgurban.agent.reviewer): the checked answer scored for
  completeness and relevancy by the helper model: {"review": {...}}, plus {"messages": [HumanMessage(
  name=REVIEW_NOTE)]} with the critique when it is sent back (at most reviewer.max_reroutes times a turn).
- "report_draft" / "report_approval" (issue 15, only with a `report_writer`; lgurban.agent.report): a
  message asking for a report goes to the report writer instead of the agent: {"report": {"draft", "status"}};
  the approval node pauses with `interrupt` until the run is resumed with the user's decision.
Routing: START → report_draft when the user's message asks for a report (report.is_report_request), agent
otherwise; report_draft → report_approval → report_approval again after an edit, END otherwise;
agent → tools when the reply has valid tool calls; agent → agent when it had only malformed ones
(so the model can retry); agent → verify for a final answer; verify → agent when sent back, review (when
there is a reviewer) or END otherwise; review → agent when sent back, END otherwise; tools → agent.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Annotated, Any, NotRequired, TypedDict

from langchain_core.exceptions import ContextOverflowError
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode

from lgurban.agent import context as ctx
from lgurban.agent import receipts
from lgurban.agent.events import ChatEvent, ContextEvent, Emit
from lgurban.agent.prompts import system_prompt as make_system_prompt
from lgurban.agent.report import ReportWriter, is_report_request, route_approval
from lgurban.agent.reviewer import REVIEW_NOTE, Reviewer, route_reviewed

log = logging.getLogger(__name__)

DEFAULT_CONTEXT_WINDOW = 128_000
MAX_BAD_CALL_RETRIES = 3  # model turns in a row with only malformed tool calls before giving up
CHECK_NOTE = "receipts_check"  # the name of the message sending an answer back with its unverified figures


class AgentState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    summary: NotRequired[str | None]
    summary_until: NotRequired[str | None]
    check: NotRequired[dict[str, Any] | None]
    review: NotRequired[dict[str, Any] | None]
    report: NotRequired[dict[str, Any] | None]


def visible_messages(state: AgentState) -> list[BaseMessage]:
    """The messages after the summarised part (all of them when nothing was summarised)."""
    messages: list[BaseMessage] = list(state.get("messages") or [])
    until = state.get("summary_until")
    if until:
        for i, m in enumerate(messages):
            if m.id == until:
                return messages[i + 1 :]
    return messages


def _bad_call_messages(reply: AIMessage) -> list[ToolMessage]:
    out = []
    for call in reply.invalid_tool_calls:
        name = call.get("name") or "?"
        out.append(
            ToolMessage(
                content=(
                    f"Error: the arguments of your call to {name} were not valid JSON "
                    f"({call.get('error') or 'could not be parsed'}): {str(call.get('args'))[:500]!r}. "
                    "Call the tool again with a JSON object matching its parameters."
                ),
                tool_call_id=call.get("id") or "",
                name=name,
                status="error",
            )
        )
    return out


@dataclass
class _AgentNode:
    """The "agent" node: what the model sees (summary, compaction), its call, the first-answer hook."""

    bound: Runnable[Any, Any]
    llm: BaseChatModel
    window: int
    base_prompt: str
    model_id: str | None
    summarizer: BaseChatModel | None
    emit: Emit | None
    on_first_answer: Callable[[str, str], Any] | None

    async def send(self, event: ChatEvent) -> None:
        if self.emit is not None:
            out = self.emit(event)
            if inspect.isawaitable(out):
                await out

    def model_input(self, summary: str | None, messages: list[BaseMessage]) -> list[BaseMessage]:
        prompt = self.base_prompt
        if summary:
            prompt += "\n\n" + ctx.summary_message(summary).text
        return [SystemMessage(prompt), *messages]

    async def _summarise(
        self,
        visible: list[BaseMessage],
        summary: str | None,
        update: dict[str, Any],
        keep_turns: int = ctx.KEEP_RECENT_TURNS,
    ) -> tuple[list[BaseMessage], str | None]:
        """Replace the older turns by a summary (when there are any): the rest stays as it is."""
        cut_at = ctx.recent_start(visible, keep_turns=keep_turns)
        if cut_at <= 0:
            return visible, summary
        older, visible = visible[:cut_at], visible[cut_at:]
        summary = await ctx.summarize(self.summarizer or self.llm, older, summary)
        update["summary"], update["summary_until"] = summary, older[-1].id
        return visible, summary

    async def run(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        update: dict[str, Any] = {}
        summary = state.get("summary")
        visible = visible_messages(state)
        tokens = ctx.count_tokens(self.model_input(summary, visible), self.model_id)
        if tokens > ctx.SUMMARY_AT * self.window:
            before = len(visible)
            visible, summary = await self._summarise(visible, summary, update)
            if "summary" in update:
                tokens = ctx.count_tokens(self.model_input(summary, visible), self.model_id)
                await self.send(ContextEvent(tokens_used=tokens, context_window=self.window))
                log.info("summarised %d older messages (%d tokens now)", before - len(visible), tokens)
        if tokens > ctx.SUMMARY_AT * self.window:  # the recent turns alone are too long: shorten old results
            visible = ctx.compact_tool_results(visible)
        try:
            reply = await self.bound.ainvoke(self.model_input(summary, visible), config)
        except ContextOverflowError:
            # our estimate was low for this provider: summarise what can be, compact the rest, retry once
            visible, summary = await self._summarise(visible, summary, update, keep_turns=1)
            visible = ctx.compact_tool_results(visible, keep_last=1, limit=300)
            reply = await self.bound.ainvoke(self.model_input(summary, visible), config)
        assert isinstance(reply, AIMessage)
        update["messages"] = [reply, *_bad_call_messages(reply)]
        await self._after_answer(state, reply)
        return update

    async def _after_answer(self, state: AgentState, reply: AIMessage) -> None:
        """The first answer of the thread (no tool call): the hook, e.g. the title task."""
        if self.on_first_answer is None or reply.tool_calls or reply.invalid_tool_calls:
            return
        humans = [m for m in state["messages"] if isinstance(m, HumanMessage)]
        if len(humans) == 1 and reply.text:
            out = self.on_first_answer(humans[0].text, reply.text)
            if inspect.isawaitable(out):
                await out


def _sent_back(messages: Sequence[BaseMessage]) -> bool:
    """Whether this turn's answer was already sent back once (a CHECK_NOTE after the user's message; the
    reviewer's notes in between do not end the turn)."""
    for m in reversed(messages):
        if isinstance(m, HumanMessage) and m.name != REVIEW_NOTE:
            return m.name == CHECK_NOTE
    return False


def verify_answer(state: AgentState, *, reviewing: bool = False) -> dict[str, Any]:
    """The "verify" node: the last answer's receipts; sent back once when some figures are not found
    (`reviewing`: a review node follows, said in the check so the stream waits for it)."""
    messages = list(state["messages"])
    answer = messages[-1]
    check = receipts.verify(messages[:-1], answer.text)
    retry = bool(check.unverified) and not _sent_back(messages)
    update: dict[str, Any] = {
        "check": {
            "message_id": answer.id,
            "receipts": [asdict(r) for r in check.receipts],
            "unverified": [asdict(u) for u in check.unverified],
            "retry": retry,
            "review": reviewing and not retry,
        }
    }
    if retry:
        update["messages"] = [HumanMessage(receipts.feedback(check.unverified), name=CHECK_NOTE)]
    return update


def route_checked(state: AgentState) -> str:
    """After verify: the agent again when the answer was sent back, else review when one follows, else END."""
    check = state.get("check") or {}
    if check.get("retry"):
        return "agent"
    return "review" if check.get("review") else END


def route(state: AgentState) -> str:
    """After the agent: tools for valid calls, the agent again for only malformed ones (a few times), verify
    for a final answer."""
    messages = state["messages"]
    last_ai = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
    if last_ai is None:
        return END
    if last_ai.tool_calls:
        return "tools"
    if last_ai.invalid_tool_calls:
        # retry while the model keeps producing malformed calls, but not for ever
        streak = 0
        for m in reversed(messages):
            if isinstance(m, AIMessage):
                if m.invalid_tool_calls and not m.tool_calls:
                    streak += 1
                else:
                    break
        return "agent" if streak <= MAX_BAD_CALL_RETRIES else END
    return "verify" if messages[-1] is last_ai else END


def route_start(state: AgentState) -> str:
    """At the start of a run: the report writer when the user's message asks for a report, else the agent."""
    messages = state.get("messages") or []
    last = messages[-1] if messages else None
    if isinstance(last, HumanMessage) and not last.name and is_report_request(last.text):
        return "report_draft"
    return "agent"


def build_graph(
    *,
    llm: BaseChatModel,
    tools: Sequence[BaseTool],
    checkpointer: Any = None,
    system_prompt: str | None = None,
    context_window: int | None = None,
    model_id: str | None = None,
    summarizer: BaseChatModel | None = None,
    emit: Emit | None = None,
    recursion_limit: int | None = None,
    on_first_answer: Callable[[str, str], Any] | None = None,
    workspace_note: str | None = None,
    reviewer: Reviewer | None = None,
    report_writer: ReportWriter | None = None,
) -> Any:
    """The compiled analyst graph (see the module docstring); `workspace_note` ends the system prompt;
    `reviewer` adds the review step after verify; `report_writer` the report nodes."""
    node = _AgentNode(
        bound=llm.bind_tools(list(tools)) if tools else llm,
        llm=llm,
        window=context_window or DEFAULT_CONTEXT_WINDOW,
        base_prompt=make_system_prompt(system_prompt) + (f"\n\n{workspace_note}" if workspace_note else ""),
        model_id=model_id,
        summarizer=summarizer,
        emit=emit,
        on_first_answer=on_first_answer,
    )
    graph = StateGraph(AgentState)
    graph.add_node("agent", node.run)
    graph.add_node("tools", ToolNode(list(tools), handle_tool_errors=True))
    if report_writer is not None:
        graph.add_node("report_draft", report_writer.draft)
        graph.add_node("report_approval", report_writer.approval)
        graph.add_conditional_edges(START, route_start, ["agent", "report_draft"])
        graph.add_edge("report_draft", "report_approval")
        graph.add_conditional_edges("report_approval", route_approval, ["report_approval", END])
    else:
        graph.add_edge(START, "agent")
    graph.add_node("verify", functools.partial(verify_answer, reviewing=reviewer is not None))
    graph.add_conditional_edges("agent", route, ["tools", "agent", "verify", END])
    if reviewer is not None:
        graph.add_node("review", reviewer.run)
        graph.add_conditional_edges("verify", route_checked, ["agent", "review", END])
        graph.add_conditional_edges("review", route_reviewed, ["agent", END])
    else:
        graph.add_conditional_edges("verify", route_checked, ["agent", END])
    graph.add_edge("tools", "agent")
    compiled = graph.compile(checkpointer=checkpointer, name="analyst")
    if recursion_limit:
        return compiled.with_config(recursion_limit=recursion_limit)
    return compiled
