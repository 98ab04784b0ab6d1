"""Reports with approval (issue 15): "write a report" → a Markdown draft → the user approves, edits or
rejects it; an approved report becomes a Markdown and a standalone HTML artifact. See docs/reports.md.

HOW TO USE
    from lgurban.agent.report import ReportWriter, is_report_request, pending_draft
    writer = ReportWriter(llm=llm, sources=..., publish=...)   # lgurban.agent.report.publish gives both
    build_graph(..., report_writer=writer)   # START → report_draft → report_approval (interrupt) | agent
    await pending_draft(checkpointer, thread_id)   # the draft waiting for approval, or None

intent.py routes (keywords, English and Italian), draft.py writes the text (pure), writer.py holds the two
graph nodes, publish.py reads the thread's charts and datasets and stores an approved report, pending.py
reads a waiting draft out of the checkpoint.
"""

from __future__ import annotations

from lgurban.agent.report.intent import is_report_request
from lgurban.agent.report.pending import pending_draft
from lgurban.agent.report.writer import DECISIONS, REPORT_AGENT, ReportWriter, route_approval

__all__ = [
    "DECISIONS",
    "REPORT_AGENT",
    "ReportWriter",
    "is_report_request",
    "pending_draft",
    "route_approval",
]
