"""A real local sandbox manager (bubblewrap + fork server), shared by a module to pay the warm-up once."""

from __future__ import annotations

import itertools
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest

from lgurban.sandbox.local import UID_BASE, LocalBackend
from lgurban.sandbox.manager import SandboxManager
from lgurban.settings import Settings

FAKE_SECRETS = {
    "OPENAI_API_KEY": "sk-test-FAKE-openai-key-do-not-leak",
    "DATABASE_URL": "postgresql://leak:FAKE-db-password@127.0.0.1:5432/leak",
    "AWS_SECRET_ACCESS_KEY": "FAKE-aws-secret-do-not-leak",
}


# sandbox uids of this test run: far above the default range and random, so the sandboxes of another
# checkout running on this machine (default UID_BASE, or another run's slices) are never counted as ours
_RUN_UID_BASE = UID_BASE + 1_000_000 + 10_000 * secrets.randbelow(100_000)
_uid_slices = itertools.count()


def own_uid_base() -> int:
    """A uid base for one local backend of this run: its sandboxes' uids are used by nobody else."""
    return _RUN_UID_BASE + 10_000 * next(_uid_slices)


def local_backend(settings: Settings, *, user_namespace: bool | None = None) -> LocalBackend:
    """The local backend with uids of its own (see own_uid_base)."""
    return LocalBackend(settings, user_namespace=user_namespace, uid_base=own_uid_base())


def sandbox_processes(backend: LocalBackend) -> list[psutil.Process]:
    """Processes running as one of this backend's sandbox uids (a root host gives each sandbox its own)."""
    out = []
    for p in psutil.process_iter(["uids"]):
        uids = p.info["uids"]
        if uids is not None and uids.real in backend.uid_range:
            out.append(p)
    return out


def sandbox_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "data_dir": data_dir,
        "_env_file": None,
        "sandbox_exec_timeout_s": 10,
        "sandbox_memory_mb": 400,
        "sandbox_max_file_mb": 20,
        "sandbox_output_limit_bytes": 64 * 1024,
        "sandbox_max_processes": 32,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=["per-sandbox-uid", "user-namespace"])
async def manager(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SandboxManager]:
    """Both isolation modes: a root host (own uid per sandbox) and the user-namespace mode of other hosts."""
    # secrets in the server's own environment: the sandbox must never see them
    saved = {k: os.environ.get(k) for k in FAKE_SECRETS}
    os.environ.update(FAKE_SECRETS)
    settings = sandbox_settings(tmp_path_factory.mktemp("sbx"))
    backend = local_backend(settings, user_namespace=request.param == "user-namespace")
    m = SandboxManager(settings, backend)
    await m.start()
    yield m
    await m.close()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def thread_id() -> uuid.UUID:
    return uuid.uuid4()
