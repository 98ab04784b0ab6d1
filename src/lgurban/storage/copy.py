"""`lgurban storage copy`: an embedded install's local object store into an S3 bucket (plan §3.2).

Every key keeps its name (artifacts, exports, the portal cache, backups). An object already in the target with
the same size is skipped, so a copy that stopped half way is resumed by running it again; at the end every
source key is checked in the target (name and size) and the count is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lgurban.storage.base import ObjectStore
from lgurban.storage.local import LocalStore


@dataclass
class CopyReport:
    total: int = 0
    copied: int = 0
    skipped: int = 0
    bytes_copied: int = 0
    missing: list[str] = field(default_factory=list)  # after the copy: source keys not in the target


async def copy_store(
    source: LocalStore, target: ObjectStore, *, progress: Callable[[int, int, str], None] | None = None
) -> CopyReport:
    """Copy every object of `source` into `target`; `progress(done, total, key)` after each object."""
    objects = await source.list("")
    report = CopyReport(total=len(objects))
    for done, info in enumerate(objects, start=1):
        there = await target.head(info.key)
        if there is not None and there.size == info.size:
            report.skipped += 1
        else:
            await target.put_file(info.key, source.path_for(info.key), content_type=info.content_type)
            report.copied += 1
            report.bytes_copied += info.size
        if progress is not None:
            progress(done, report.total, info.key)
    for info in objects:  # the final count check: every object is there, whole
        there = await target.head(info.key)
        if there is None or there.size != info.size:
            report.missing.append(info.key)
    return report
