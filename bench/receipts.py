"""Receipts (issue 15): extraction precision/recall and verification time per answer.

bench/receipts_answers.jsonl (tracked; bench/data/ is git-ignored): 77 answers about Bologna written by
hand (39 Italian, 38 English), each with its language (`lang`), the figures it states (`figures`, the values
meant, as extract.py's docstring defines a figure: bare years, dates, times, ordinals and numbers glued to
letters left out), the output of the cell behind it (`stdout`) and the figures that output does not support
(`absent`, in 21 answers). Prints
- extraction: precision and recall of the values found against `figures` (a value counts once per mention);
- receipts: of the figures the output supports, the share with a receipt (recall) and of the receipts the
  share right (precision); of the `absent` ones the share reported unverified (a soft small integer is
  never reported, it is counted as missed here);
- the time of one verification (extraction, source index, matching) per answer: p50 / p95 / max over
  REPEAT runs of the table (20 sources each), and of the graph's whole step, `verify(state, answer)`, over
  a 50-cell conversation (each cell ~40 lines of output, about 100 numbers).
Run: `uv run python bench/receipts.py` (or `make bench`).
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from pathlib import Path

from common import pct  # bench/ is on sys.path when run as a script
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from lgurban.agent.receipts import Source, check_answer, extract_numbers, verify
from lgurban.agent.receipts.match import _numbers_of

DATA = Path(__file__).parent / "receipts_answers.jsonl"
REPEAT = 50
GOAL_MS = 20.0


def _key(value: float) -> float:
    return float(f"{value:.6g}")


def _extraction(rows: list[dict]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for row in rows:
        want = Counter(_key(v) for v in row["figures"])
        got = Counter(_key(f.value) for f in extract_numbers(row["text"]))
        hit = sum((want & got).values())
        tp, fp, fn = tp + hit, fp + sum(got.values()) - hit, fn + sum(want.values()) - hit
    return tp, fp, fn


def _receipts(rows: list[dict]) -> tuple[int, int, int, int, int]:
    right = wrong = supported = flagged = absent = 0
    for row in rows:
        check = check_answer(row["text"], [Source(row["stdout"], "exec")])
        gone = {_key(v) for v in row["absent"]}
        for r in check.receipts:
            right, wrong = (right, wrong + 1) if _key(r.value) in gone else (right + 1, wrong)
        supported += sum(1 for v in row["figures"] if _key(v) not in gone)
        absent += len(gone)
        # an unverified figure read where it stands (its text alone may read in the other language)
        spans = {(f.start, f.end): _key(f.value) for f in extract_numbers(row["text"])}
        read = [spans.get((u.start, u.end), math.nan) for u in check.unverified]
        flagged += sum(1 for v in read if any(math.isclose(v, g) for g in gone))
    return right, wrong, supported, flagged, absent


def _conversation(rows: list[dict], cells: int) -> list[BaseMessage]:
    """A thread's state with `cells` code calls, each printing 20 rows' stdout and 20 lines of its own."""
    out: list[BaseMessage] = []
    for i in range(cells):
        call = {"name": "execute_code", "args": {"code": "print(...)"}, "id": f"c{i}"}
        out.append(AIMessage("", tool_calls=[call]))
        lines = [rows[(i * 20 + k) % len(rows)]["stdout"] for k in range(20)]
        lines += [f"row {k}: {(i * 20 + k) * 1234.5678:.3f} {(i * 7 + k) % 997}" for k in range(20)]
        body = json.dumps({"ok": True, "stdout": "\n".join(lines)})
        out.append(
            ToolMessage(body, tool_call_id=f"c{i}", name="execute_code", artifact={"execution_id": f"e{i}"})
        )
    return out


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp, fp, fn = _extraction(rows)
    print(f"answers: {len(rows)} ({sum(r['lang'] == 'it' for r in rows)} Italian, "
          f"{sum(r['lang'] == 'en' for r in rows)} English), figures: {tp + fn}")  # fmt: skip
    print(
        f"extraction: precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    right, wrong, supported, flagged, absent = _receipts(rows)
    print(
        f"receipts: {right}/{supported} supported figures got one (recall {right / supported:.3f}), "
        f"{wrong} wrong; unverified: {flagged}/{absent} invented figures reported"
    )
    times: list[float] = []
    for _ in range(REPEAT):
        for row in rows:
            sources = [Source(row["stdout"], "exec")] * 20  # a long thread: 20 cells of output
            started = time.perf_counter()
            check_answer(row["text"], sources)
            times.append((time.perf_counter() - started) * 1000)
    p50, p95 = pct(times, 50), pct(times, 95)
    print(
        f"verification per answer: p50 {p50:.3f} ms, p95 {p95:.3f} ms, max {max(times):.3f} ms "
        f"(goal ≤ {GOAL_MS} ms)"
    )
    conversation = _conversation(rows, cells=50)
    for label, cold in (("cold: no output parsed before", True), ("warm: earlier outputs cached", False)):
        whole: list[float] = []
        for row in rows * 3:
            if cold:
                _numbers_of.cache_clear()
            started = time.perf_counter()
            verify(conversation, row["text"])
            whole.append((time.perf_counter() - started) * 1000)
        print(
            f"verify() over a 50-cell conversation, {label}: p50 {pct(whole, 50):.3f} ms, "
            f"p95 {pct(whole, 95):.3f} ms"
        )
        if not cold:  # the usual case: a turn parses only the cells run since the last answer
            p95 = max(p95, pct(whole, 95))
    if p95 > GOAL_MS:
        raise SystemExit(f"p95 {p95:.1f} ms is over the {GOAL_MS} ms goal")


if __name__ == "__main__":
    main()
