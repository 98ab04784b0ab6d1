"""The system prompt names only real tools, and every tool is named."""

from __future__ import annotations

import re
import uuid

from lgurban.agent.prompts import REPORT_PROMPT, REVIEW_PROMPT, SYSTEM_PROMPT, system_prompt
from lgurban.agent.tools import make_tools


def tool_names() -> set[str]:
    return {t.name for t in make_tools(resources=None, thread_id=uuid.uuid4(), user_id=None, run_id=None)}  # type: ignore[arg-type]


def named_in_prompt(text: str) -> set[str]:
    """Identifiers written as `snake_case` or one word (`geocode`) in the prompt; paths and code are not."""
    return {name for name in re.findall(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)*)`", text)}


def test_prompt_names_only_existing_tools() -> None:
    names = named_in_prompt(SYSTEM_PROMPT)
    assert names, "the prompt should name its tools in backticks"
    assert names <= tool_names(), f"not tools: {sorted(names - tool_names())}"


def test_reviewer_prompt_names_only_existing_tools() -> None:
    names = named_in_prompt(REVIEW_PROMPT)
    assert {"execute_code", "list_catalog"} <= names
    assert names <= tool_names(), f"not tools: {sorted(names - tool_names())}"


def test_report_writer_prompt_names_only_existing_tools() -> None:
    names = named_in_prompt(REPORT_PROMPT)
    assert {"execute_code", "select_dataset"} <= names
    assert names <= tool_names(), f"not tools: {sorted(names - tool_names())}"


def test_every_tool_is_in_the_prompt() -> None:
    assert tool_names() <= named_in_prompt(SYSTEM_PROMPT)


def test_the_checker_catches_a_made_up_tool() -> None:
    assert "search_web" in named_in_prompt(SYSTEM_PROMPT + " use `search_web` too") - tool_names()


def test_every_tool_has_a_real_docstring() -> None:
    for t in make_tools(resources=None, thread_id=uuid.uuid4(), user_id=None, run_id=None):  # type: ignore[arg-type]
        assert len(t.description) > 60, t.name


def test_custom_instructions_and_date() -> None:
    text = system_prompt("  Use English.  ")
    assert text.endswith("Use English.") and "Today's date: 20" in text
    assert "Instructions" not in system_prompt(None)


def test_prompt_describes_the_workspace_and_citing() -> None:
    for needle in ("datasets/<dataset_id>.parquet", "artifacts/", "dataset (title and id)"):
        assert needle in SYSTEM_PROMPT, needle
