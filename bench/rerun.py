"""Re-run time vs the original cells' total time (issue 20; goal <= 1.2x plus the downloads).

The real server (`lgurban serve`, SQLite, the embedded local sandbox) in a subprocess, the fake Opendatasoft
portal in this process. A thread loads the accidents dataset and runs cells through /execute (a mix:
pandas aggregations, values, a DataFrame, a figure every 10th cell, and `--busy-ms` of pure computation per
cell so that cells do some work), then POST /rerun after the portal's data changed. Prints the original
cells' total (their recorded durations), the re-run's (its cells' durations, and the whole loop with the
fresh sandbox's start and the recording of each cell), the downloads, the wall time of the request.

    uv run python bench/rerun.py [--cells 60] [--busy-ms 50]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import start_server  # bench/ is on sys.path when run as a script
from replicas import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fakes
from tests.fakes.opendatasoft import FakePortal

from lgurban.settings import Settings

GOAL = 1.2
DATASET = "incidenti-stradali-quartieri"


def cell(i: int, busy_ms: int) -> str:
    busy = f"_t = time.perf_counter()\nwhile time.perf_counter() - _t < {busy_ms / 1000}: pass\n"
    if i == 0:
        return (
            "import time\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
            f"d = pd.read_parquet('datasets/{DATASET}.parquet')\nlen(d)"
        )
    if i % 10 == 0:
        return busy + f"d.groupby('quartiere')['feriti'].sum().plot(kind='bar', title='cell {i}')\nplt.show()"
    if i % 3 == 0:
        return busy + f"d[d['numero_incidenti'] > {20 + i % 50}].groupby('quartiere').size().to_frame('n')"
    return busy + f"int(d['numero_incidenti'].sum()) + {i}"


def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakePortal() as portal:
        names = {f.upper() for f in Settings.model_fields}
        env = {k: v for k, v in os.environ.items() if k.upper() not in names}
        env.update(
            ENVIRONMENT="test", DATA_DIR=tmp, SANDBOX_REQUIRE_ISOLATION="false", OPENDATA_BASE_URL=portal.url
        )
        port = free_port()
        proc = start_server(env, port, "--migrate")
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=900) as client:
                tid = client.post("/api/threads", json={"title": "rerun bench"}).json()["id"]
                r = client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": DATASET})
                assert r.status_code == 200, r.text
                for i in range(args.cells):
                    r = client.post(f"/api/threads/{tid}/execute", json={"code": cell(i, args.busy_ms)})
                    assert r.status_code == 200 and r.json()["ok"], r.text
                if not args.same_data:
                    table = portal.datasets[DATASET].fixture.table()
                    portal.change_data(
                        DATASET, table.slice(0, table.num_rows - 6)
                    )  # the last month withdrawn
                t0 = time.perf_counter()
                r = client.post(f"/api/threads/{tid}/rerun")
                wall = time.perf_counter() - t0
                assert r.status_code == 201, r.text
                report = r.json()
                new = client.get(f"/api/threads/{report['thread_id']}/executions").json()["items"]
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)
    original = report["original_ms"] / 1000
    cells = sum(c["duration_ms"] for c in new) / 1000
    loop = report["duration_ms"] / 1000
    print(f"{args.cells} cells ({args.busy_ms} ms of computation each); {len(report['changes'])} changed")
    print(f"  original cells, in all:   {original:7.2f} s")
    print(f"  re-run cells, in all:     {cells:7.2f} s  ({cells / original:.2f}x)")
    print(f"  re-run loop, all in:      {loop:7.2f} s  ({loop / original:.2f}x; goal <= {GOAL}x)")
    print(f"  dataset downloads:        {report['download_ms'] / 1000:7.2f} s")
    print(f"  POST /rerun wall time:    {wall:7.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=60)
    parser.add_argument("--busy-ms", type=int, default=50)
    parser.add_argument("--same-data", action="store_true", help="leave the portal's data as it was")
    main(parser.parse_args())
