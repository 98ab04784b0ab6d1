"""Variables across a stop the user did not ask for (issue 21): the thread's earlier cells are re-run in the
new sandbox, on every backend; an explicit restart gives a fresh interpreter; the note says which happened."""

from __future__ import annotations

import asyncio
import uuid

from lgurban.sandbox.replay import MAX_CELLS, CellHistory, replay
from lgurban.sandbox.types import Execution, ExecutionError
from tests.sandbox.test_contract import Kit, kit, tid

__all__ = ["kit", "tid"]


async def _stop(kit: Kit, thread_id: uuid.UUID) -> None:
    live = kit.manager._live[thread_id]
    await kit.stop_from_outside(live.proc)
    await asyncio.wait_for(live.client.closed.wait(), 5)


async def test_a_stopped_sandbox_comes_back_with_its_variables(kit: Kit, tid: uuid.UUID) -> None:
    for code in ("a = 1", "b = a + 1", "1 / 0", "c = b * 10"):
        await kit.manager.execute(tid, code)
    await _stop(kit, tid)
    back = await kit.manager.execute(tid, "a, b, c")
    assert back.ok and back.outputs[0].data == "(1, 2, 20)"
    assert any("restored by re-running the 3 earlier cells" in n for n in back.notes), back.notes
    await _stop(kit, tid)  # a second stop re-runs the replayed cells and the ones after them
    assert (await kit.manager.execute(tid, "d = c + 1")).ok
    await _stop(kit, tid)
    again = await kit.manager.execute(tid, "d")
    assert again.ok and again.outputs[0].data == "21"
    # an explicit restart is a fresh interpreter: nothing re-run, nothing said about restoring
    await kit.manager.restart(tid)
    fresh = await kit.manager.execute(tid, "'a' in globals()")
    assert fresh.ok and fresh.outputs[0].data == "False"
    assert not any("restored" in n for n in fresh.notes)


async def test_the_replay_stops_at_a_cell_that_fails_the_second_time_and_says_where(
    kit: Kit, tid: uuid.UUID
) -> None:
    once = (
        "import os\n"
        "assert not os.path.exists('artifacts/once.txt'), 'already done'\n"
        "open('artifacts/once.txt', 'w').write('1')\n"
        "m = 1"
    )
    for code in ("n = 5", once, "k = 2"):
        assert (await kit.manager.execute(tid, code)).ok
    await _stop(kit, tid)
    back = await kit.manager.execute(tid, "n, 'm' in globals(), 'k' in globals()")
    assert back.ok and back.outputs[0].data == "(5, False, False)"
    [note] = [n for n in back.notes if "re-running" in n]
    assert "stopped at cell 2 (AssertionError: already done)" in note
    assert "variables from cell 2 on are missing" in note


def _ok() -> Execution:
    return Execution(ok=True, stdout="", stderr="", outputs=[], error=None, files=[], duration_ms=1)


async def test_the_replay_budget_bounds_the_time_spent() -> None:
    async def slow(code: str, timeout_s: float) -> Execution:
        await asyncio.sleep(0.05)
        return _ok()

    done, note = await replay(["a = 1", "b = 2", "c = 3", "d = 4"], slow, 0.08, " (stopped after 600 s idle)")
    assert done == ["a = 1", "b = 2"]
    assert "stopped at cell 3 (SANDBOX_REPLAY_S, 0.08 s, ran out)" in note
    assert note.startswith("The sandbox was restarted (stopped after 600 s idle)")


async def test_a_failing_cell_in_the_replay_gives_its_error_and_zero_budget_replays_nothing() -> None:
    async def failing(code: str, timeout_s: float) -> Execution:
        result = _ok()
        if code == "boom":
            result.ok, result.error = False, ExecutionError("NameError", "name 'q' is not defined", "")
        return result

    done, note = await replay(["a = 1", "boom", "c = 3"], failing, 10, "")
    assert done == ["a = 1"] and "stopped at cell 2 (NameError: name 'q' is not defined)" in note
    done, note = await replay(["a = 1"], failing, 0, "")
    assert done == [] and "variables from earlier cells were lost" in note


def test_a_history_too_long_to_keep_is_not_replayed() -> None:
    history, thread = CellHistory(), uuid.uuid4()
    for i in range(MAX_CELLS + 1):
        history.add(thread, f"x{i} = {i}")
    assert history.take(thread) is None  # the note then says the variables were lost
    history.add(thread, "y = 1")
    assert history.take(thread) == ["y = 1"]
