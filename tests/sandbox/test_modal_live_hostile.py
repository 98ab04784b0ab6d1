"""The hostile-code suite against real Modal (issue 21): the backend-neutral attacks of test_hostile.py, run
on a Modal sandbox. Opt-in like test_modal_live.py (MODAL_TOKEN_ID and MODAL_TOKEN_SECRET set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from lgurban.sandbox.manager import SandboxManager
from tests.sandbox.conftest import FAKE_SECRETS
from tests.sandbox.test_hostile import (
    test_cells_of_one_thread_queue_up,
    test_closing_stdout_does_not_break_the_sandbox,
    test_data_libraries_work_inside_the_sandbox,
    test_fork_bomb_is_contained,
    test_huge_allocation_is_a_memory_error_and_others_are_fine,
    test_invalid_python_is_a_syntax_error_result,
    test_killing_the_parent_or_exiting_is_contained,
    test_no_network_even_to_loopback,
    test_no_secret_reaches_the_sandbox,
    test_printing_a_gigabyte_is_capped_quickly,
)
from tests.sandbox.test_modal_live import live_manager, live_settings

pytestmark = [
    pytest.mark.live,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        not os.environ.get("MODAL_TOKEN_ID"), reason="MODAL_TOKEN_ID is not set: no real Modal to talk to"
    ),
]

__all__ = [  # collected here with this module's `manager`: a Modal sandbox
    "test_cells_of_one_thread_queue_up",
    "test_closing_stdout_does_not_break_the_sandbox",
    "test_data_libraries_work_inside_the_sandbox",
    "test_fork_bomb_is_contained",
    "test_huge_allocation_is_a_memory_error_and_others_are_fine",
    "test_invalid_python_is_a_syntax_error_result",
    "test_killing_the_parent_or_exiting_is_contained",
    "test_no_network_even_to_loopback",
    "test_no_secret_reaches_the_sandbox",
    "test_printing_a_gigabyte_is_capped_quickly",
]


@pytest.fixture(scope="module")
async def manager(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SandboxManager]:
    saved = {k: os.environ.get(k) for k in FAKE_SECRETS}
    os.environ.update(FAKE_SECRETS)  # in the server's environment: the sandbox must never see them
    m = await live_manager(live_settings(tmp_path_factory.mktemp("modal-hostile")))
    yield m
    await m.close()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
async def thread_id(manager: SandboxManager) -> AsyncIterator[uuid.UUID]:
    tid = uuid.uuid4()
    yield tid
    await manager.remove(tid)  # no sandbox or Volume left billed
