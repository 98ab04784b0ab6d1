"""Fail when a module under src/lgurban is over 400 lines or a function over 60 (issue 10's size limits).

Usage: python .ci/check_sizes.py [PACKAGE_DIR]   (default: src/lgurban next to this folder)
Exempt: the module limit for the standalone sandbox/driver.py and sandbox/zygote.py, the function limit for
the Alembic migrations under db/migrations/. Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MODULE_LIMIT_EXEMPT = {"sandbox/driver.py", "sandbox/zygote.py"}
FUNCTION_LIMIT_EXEMPT_UNDER = ("db/migrations/",)


def long_functions(tree: ast.AST, limit: int) -> Iterator[tuple[int, str, int]]:
    """(line, qualified name, length) of every function or method longer than `limit` lines."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[int, str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    length = (child.end_lineno or child.lineno) - child.lineno + 1
                    if length > limit:
                        yield child.lineno, name, length
                yield from walk(child, name + ".")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def offenders(package: Path) -> list[str]:
    """One line per module or function over its limit, as `path:line: what`."""
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        shown = path.as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES and rel not in MODULE_LIMIT_EXEMPT:
            found.append(f"{shown}:1: module is {lines} lines (limit {MAX_MODULE_LINES})")
        if rel.startswith(FUNCTION_LIMIT_EXEMPT_UNDER):
            continue
        for line, name, length in long_functions(ast.parse(text, filename=shown), MAX_FUNCTION_LINES):
            found.append(f"{shown}:{line}: function {name} is {length} lines (limit {MAX_FUNCTION_LINES})")
    return found


def main(argv: list[str]) -> int:
    package = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "src" / "lgurban"
    if not package.is_dir():
        print(f"no package at {package}", file=sys.stderr)
        return 2
    found = offenders(package)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} over the size limits", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
