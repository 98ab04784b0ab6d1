"""The structure rules as tests: the import layers and the size limits, as `make lint` checks them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK_SIZES = ROOT / ".ci" / "check_sizes.py"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_imports_follow_the_layers_in_pyproject() -> None:
    r = _run(Path(sys.executable).parent / "lint-imports", "--no-cache")
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_module_or_function_over_the_size_limits() -> None:
    r = _run(sys.executable, CHECK_SIZES)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_size_check_names_each_offender_and_honours_its_exemptions(tmp_path: Path) -> None:
    long_body = "".join(f"    x{i} = {i}\n" for i in range(60))
    (tmp_path / "sandbox").mkdir()
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    (tmp_path / "small.py").write_text("def ok():\n" + long_body.removesuffix("    x59 = 59\n"))  # 60 lines
    method_body = long_body.replace("    ", "        ")
    (tmp_path / "long_fn.py").write_text("class C:\n    async def run(self):\n" + method_body)
    (tmp_path / "big.py").write_text("x = 1\n" * 401)
    (tmp_path / "sandbox" / "driver.py").write_text("x = 1\n" * 401)
    (tmp_path / "db" / "migrations" / "0001.py").write_text("def upgrade():\n" + long_body)

    r = _run(sys.executable, CHECK_SIZES, tmp_path)

    assert r.returncode == 1
    assert sorted(r.stdout.splitlines()) == [
        f"{tmp_path.as_posix()}/big.py:1: module is 401 lines (limit 400)",
        f"{tmp_path.as_posix()}/long_fn.py:2: function C.run is 61 lines (limit 60)",
    ]
