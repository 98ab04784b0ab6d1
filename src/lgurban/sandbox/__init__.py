"""The per-thread code sandbox: driver, backends (local, modal), the session manager, and the client of a
separate sandbox host (SANDBOX_BACKEND=host)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from lgurban.sandbox.backend import Backend
    from lgurban.sandbox.sandboxes import Sandboxes
    from lgurban.settings import Settings


def build_backend(settings: Settings) -> Backend:
    """The backend SANDBOX_BACKEND names (imported lazily: `modal` is only needed for the modal backend)."""
    if settings.sandbox_backend == "host":
        raise ValueError("SANDBOX_BACKEND=host has no backend in this process (build_manager: its client)")
    if settings.sandbox_backend == "modal":
        from lgurban.sandbox.modal_backend import ModalBackend

        return ModalBackend(settings)
    from lgurban.sandbox.local import LocalBackend

    return LocalBackend(settings)


def build_manager(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession] | None = None
) -> Sandboxes:
    """A manager for the configured backend; call `await manager.start()` before use, `close()` after.

    SANDBOX_BACKEND=host: a client of the `lgurban sandbox-host` at SANDBOX_HOST_URL instead (the sandboxes
    live there, not in this process)."""
    if settings.sandbox_backend == "host":
        from lgurban.sandbox.host_client import HostSandboxes

        return HostSandboxes(settings, sessionmaker)
    from lgurban.sandbox.manager import SandboxManager

    return SandboxManager(settings, build_backend(settings), sessionmaker)
