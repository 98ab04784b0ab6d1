"""Receipts (issue 15), pure: the figures of Italian and English answers, their matching to tool outputs."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from lgurban.agent.receipts import Source, check_answer, extract_numbers, feedback, language, verify


def values(text: str) -> list[tuple[str, float]]:
    return [(f.text, f.value) for f in extract_numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gli incidenti nel comune sono stati 1.234,5 in media.", [("1.234,5", 1234.5)]),
        ("The average was 1,234.5 trips per day.", [("1,234.5", 1234.5)]),
        ("La quota è del 12%, in calo.", [("12%", 12.0)]),
        ("La quota è del 12,5 % del totale.", [("12,5 %", 12.5)]),
        ("Il bilancio vale 1,2 milioni di euro.", [("1,2 milioni", 1_200_000.0)]),
        ("The budget is 7.51 million euros.", [("7.51 million", 7_510_000.0)]),
        ("Sono arrivate 3 mila persone.", [("3 mila", 3000.0)]),
        ("Sono 1.234.567 abitanti del comune.", [("1.234.567", 1_234_567.0)]),
        ("There are 1,234,567 residents in the city.", [("1,234,567", 1_234_567.0)]),
        ("Il debito è di 2 miliardi.", [("2 miliardi", 2e9)]),
        ("About 12k trips were made in the year.", [("12k", 12_000.0)]),
        ("Un calo del -5% rispetto al totale.", [("-5%", -5.0)]),
        ("Sono il 12 per cento del totale.", [("12 per cento", 12.0)]),
        ("Spaced: 1\u00a0234 trips for the year.", [("1\u00a0234", 1234.0)]),
    ],
)
def test_extracts_each_format(text: str, expected: list[tuple[str, float]]) -> None:
    assert values(text) == expected


def test_a_single_group_of_three_reads_by_the_language() -> None:
    italian = extract_numbers("Nel comune di Bologna gli incidenti sono stati 1.234 in totale.")
    english = extract_numbers("The ratio of the two is 1.234 for the year.")
    assert (italian[0].value, italian[0].alternatives) == (1234.0, ((1.234, 0.001),))
    assert (english[0].value, english[0].alternatives) == (1.234, ((1234.0, 1.0),))
    assert language("il numero degli incidenti della città") == "it"
    assert language("the number of accidents in the city") == "en"


def test_skips_what_is_not_a_figure() -> None:
    text = (
        "1. Nel 2023 le stazioni PM10 e CO2 hanno misurato 35 µg il 12/03/2024 alle 10:30.\n"
        "2) Vedi `df.head(20)` e [la tabella 7](http://x.it/7) e https://a.b/c?id=99 (2024-01-05).\n"
        "```python\nprint(1234)\n```\n"
        "## 3. Il 1° posto, 3rd place, dataset incidenti-2022\n"
    )
    assert values(text) == [("35", 35.0)]


def test_precision_written_and_soft_small_integers() -> None:
    million, rounded, small = extract_numbers("7,51 milioni, circa 1.200 incidenti, 3 quartieri.")
    assert (million.step, rounded.step) == (10_000.0, 100.0)
    assert small.soft and not million.soft and not rounded.soft


def test_matches_allowing_for_the_rounding_written() -> None:
    source = Source("total 7512345\nshare 0.12463\nmean 1234.49\n", "exec-1", ("incidenti",))
    check = check_answer("Sono 7,51 milioni, il 12,5 % e in media 1.234,5. Anche 99 casi.", [source])
    assert [(r.text, r.value, r.execution_id, r.dataset_ids) for r in check.receipts] == [
        ("7,51 milioni", 7_510_000.0, "exec-1", ["incidenti"]),
        ("12,5 %", 12.5, "exec-1", ["incidenti"]),
        ("1.234,5", 1234.5, "exec-1", ["incidenti"]),
    ]
    assert [u.text for u in check.unverified] == ["99"]


def test_a_figure_off_by_more_than_its_precision_is_unverified() -> None:
    check = check_answer("The total was 7.52 million and 1,236 trips.", [Source("7512345 1234", "e")])
    assert [u.text for u in check.unverified] == ["7.52 million", "1,236"]


def test_soft_numbers_get_a_receipt_when_found_and_are_never_unverified() -> None:
    check = check_answer("The 3 districts and the 5 lines.", [Source("districts: 3", "e")])
    assert [r.text for r in check.receipts] == ["3"] and check.unverified == []


def test_the_latest_cell_wins_over_older_cells_and_metadata() -> None:
    sources = [Source("records_count 1234", None, ("d",)), Source("1234", "e1"), Source("n=1234", "e2")]
    (receipt,) = check_answer("There are 1,234 rows.", sources).receipts
    assert receipt.execution_id == "e2"


def test_sources_from_the_conversation() -> None:
    code = "import pandas as pd\ndf = pd.read_parquet('datasets/incidenti-2023.parquet')\nprint(len(df))"
    messages = [
        HumanMessage("Quanti incidenti?"),
        AIMessage(
            "", tool_calls=[{"name": "select_dataset", "args": {"dataset_id": "incidenti-2023"}, "id": "c1"}]
        ),
        ToolMessage(
            '{"path": "datasets/incidenti-2023.parquet", "rows": 8123}',
            tool_call_id="c1",
            name="select_dataset",
        ),
        AIMessage("", tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": "c2"}]),
        ToolMessage(
            json.dumps({"ok": True, "stdout": "4567\n", "artifacts": [{"size": 999}]}),
            tool_call_id="c2",
            name="execute_code",
            artifact={"ok": True, "execution_id": "exec-9"},
        ),
        AIMessage(
            "", tool_calls=[{"name": "execute_code", "args": {"code": "print(df.mean())"}, "id": "c3"}]
        ),
        ToolMessage("{}", tool_call_id="c3", name="execute_code", status="error", artifact={"ok": False}),
    ]
    check = verify(messages, "Il dataset ha 8.123 righe e 4.567 incidenti; file di 999 byte.")
    assert [(r.text, r.execution_id, r.dataset_ids) for r in check.receipts] == [
        ("8.123", None, ["incidenti-2023"]),
        ("4.567", "exec-9", ["incidenti-2023"]),
    ]
    assert [u.text for u in check.unverified] == ["999"]


def test_feedback_lists_the_figures_bounded() -> None:
    many = check_answer(" ".join(f"{n} euro" for n in range(100, 140)), []).unverified
    note = feedback(many)
    assert '"100"' in note and '"119"' in note and '"120"' not in note and "and 20 more" in note


def test_an_unambiguous_number_tells_the_language_when_the_words_do_not() -> None:
    """Regression: "1,012 hectares, 71.3 m² per resident" read as Italian ("per") and gave 1.012."""
    found = extract_numbers("Public green covers 1,012 hectares, 71.3 m² per resident.")
    assert [f.value for f in found] == [1012.0, 71.3]
    assert language("Verde: 1.012 ettari, 71,3 m²") == "it"
