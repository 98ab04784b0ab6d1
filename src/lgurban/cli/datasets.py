"""`lgurban datasets upload FILE [--name]`: put a heavy dataset in the object store as Parquet."""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from lgurban.cli.common import fail, settings_or_exit

datasets_app = typer.Typer(
    help="Heavy datasets kept in the object store (input/datasets/).", no_args_is_help=True
)

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(4)
        if path.stat().st_size < 12:
            return False
        f.seek(-4, 2)
        return head == b"PAR1" and f.read(4) == b"PAR1"


def _csv_to_parquet(src: Path, dst: Path) -> None:
    """Convert in record batches: a CSV larger than memory still converts."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    reader = pacsv.open_csv(src)
    with pq.ParquetWriter(dst, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


@datasets_app.command("upload")
def datasets_upload(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A .parquet or .csv")
    ],
    name: Annotated[
        str | None, typer.Option(help="Dataset name (default: the file name without extension).")
    ] = None,
) -> None:
    """Put a heavy dataset under input/datasets/<name>.parquet in the configured store."""
    from lgurban.errors import AppError
    from lgurban.storage import build_store, dataset_key

    name = name or file.stem
    if not NAME_RE.match(name):
        raise fail(f"invalid dataset name {name!r}: use letters, digits, '.', '_' or '-'", 2)
    settings = settings_or_exit()
    key = dataset_key(name)

    async def upload(path: Path) -> int:
        store = build_store(settings)
        try:
            if (reason := await store.check()) != "ok":
                raise fail(f"object store not usable: {reason}")
            info = await store.put_file(key, path, content_type="application/vnd.apache.parquet")
            return info.size
        finally:
            await store.close()

    try:
        if _is_parquet(file):
            size = asyncio.run(upload(file))
        elif file.suffix.lower() == ".csv":
            with tempfile.TemporaryDirectory() as tmp:
                converted = Path(tmp) / f"{name}.parquet"
                _csv_to_parquet(file, converted)
                size = asyncio.run(upload(converted))
        else:
            raise fail(f"{file} is neither Parquet nor CSV: convert it to Parquet first", 2)
    except AppError as exc:
        raise fail(exc.message) from exc
    typer.echo(f"uploaded {file.name} → {key} ({size:,} bytes, {settings.storage_backend} store)")
