"""The real local sandbox manager of tests/sandbox (both isolation modes), for the security tests."""

from tests.sandbox.conftest import manager, thread_id

__all__ = ["manager", "thread_id"]
