"""Executions the manager makes itself: a cell whose sandbox was stopped or crashed under it, and a result
with the sandbox process's own report (limits hit) folded in."""

from __future__ import annotations

import time

from lgurban.sandbox.types import CellReport, Execution, ExecutionError


def with_report(result: Execution, report: CellReport) -> Execution:
    result.notes += report.notes
    if report.error is not None:
        result.ok, result.error = False, report.error
    return result


def stopped_result(reason: str, started: float) -> Execution:
    return Execution(
        ok=False,
        error=ExecutionError("SandboxStopped", f"The sandbox was stopped while this cell ran: {reason}.", ""),
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


def crashed_result(reason: str, started: float) -> Execution:
    why = f" ({reason})" if reason else ""
    return Execution(
        ok=False,
        error=ExecutionError(
            "SandboxCrashed",
            f"The sandbox process stopped while running this cell{why}. Variables were lost; files in the "
            "workspace are kept. The next cell starts a fresh sandbox.",
            "",
        ),
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
