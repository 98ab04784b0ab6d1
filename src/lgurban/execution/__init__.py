"""Running code in a thread: one engine for the /execute route and the agent's code tool."""

from lgurban.execution.models import ExecutionErrorOut, ExecutionOut, OutputOut
from lgurban.execution.service import list_executions, run_cell, summarize

__all__ = ["ExecutionErrorOut", "ExecutionOut", "OutputOut", "list_executions", "run_cell", "summarize"]
