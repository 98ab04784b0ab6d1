"""Token estimates per model, where older turns are cut, and which references a summary keeps."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from lgurban.agent.context import compact_tool_results, count_tokens, recent_start, references


def test_token_estimates_grow_with_text_and_differ_per_provider() -> None:
    short = [HumanMessage("ciao")]
    long = [HumanMessage("parola " * 1000)]
    assert 0 < count_tokens(short) < count_tokens(long)
    assert count_tokens(long, "anthropic:claude-sonnet-4-5") > count_tokens(long, "openai:gpt-4.1")
    with_call = [
        AIMessage("", tool_calls=[{"name": "execute_code", "args": {"code": "x" * 4000}, "id": "c"}])
    ]
    assert count_tokens(with_call) > 900  # tool-call arguments count


def test_recent_turns_start_at_a_user_message() -> None:
    msgs = [
        HumanMessage("q1"),
        AIMessage("", tool_calls=[{"name": "add", "args": {}, "id": "c1"}]),
        ToolMessage("r", tool_call_id="c1"),
        AIMessage("a1"),
        HumanMessage("q2"),
        AIMessage("a2"),
        HumanMessage("q3"),
    ]
    assert recent_start(msgs, keep_turns=2) == 4
    assert recent_start(msgs, keep_turns=3) == 0
    assert recent_start(msgs[:1], keep_turns=1) == 0


def test_references_name_datasets_and_artifacts() -> None:
    msgs = [
        AIMessage(
            "", tool_calls=[{"name": "select_dataset", "args": {"dataset_id": "fermate-autobus"}, "id": "s"}]
        ),
        ToolMessage(json.dumps({"path": "datasets/fermate-autobus.parquet", "rows": 3}), tool_call_id="s"),
        ToolMessage(
            json.dumps({"ok": True, "artifacts": [{"id": "a1", "filename": "map.html"}]}), tool_call_id="x"
        ),
        AIMessage("I used datasets/popolazione.parquet too."),
    ]
    refs = references(msgs)
    assert "dataset fermate-autobus (loaded with select_dataset)" in refs
    assert "dataset file datasets/fermate-autobus.parquet" in refs
    assert "artifact map.html (id a1)" in refs
    assert "dataset file datasets/popolazione.parquet" in refs


def test_compaction_keeps_the_latest_results_whole() -> None:
    msgs = [ToolMessage("r" * 2000, tool_call_id=str(i)) for i in range(6)]
    out = compact_tool_results(msgs, keep_last=2, limit=100)
    assert [len(str(m.content)) < 300 for m in out] == [True] * 4 + [False] * 2
    assert all(len(str(m.content)) == 2000 for m in msgs)  # the originals are untouched
