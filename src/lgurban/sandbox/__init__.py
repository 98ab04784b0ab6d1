"""The per-thread code sandbox: driver, backends (local, modal) and the session manager."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from lgurban.sandbox.backend import Backend
    from lgurban.sandbox.manager import SandboxManager
    from lgurban.settings import Settings


def build_backend(settings: Settings) -> Backend:
    """The backend SANDBOX_BACKEND names (imported lazily: `modal` is only needed for the modal backend)."""
    if settings.sandbox_backend == "modal":
        from lgurban.sandbox.modal_backend import ModalBackend

        return ModalBackend(settings)
    from lgurban.sandbox.local import LocalBackend

    return LocalBackend(settings)


def build_manager(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession] | None = None
) -> SandboxManager:
    """A manager for the configured backend; call `await manager.start()` before use, `close()` after."""
    from lgurban.sandbox.manager import SandboxManager

    return SandboxManager(settings, build_backend(settings), sessionmaker)
