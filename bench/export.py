"""Export time for a thread of 200 cells (issue 20; goal <= 300 ms): GET /api/threads/{id}/export per format.

The real server (`lgurban serve`, SQLite, the embedded local sandbox) in a subprocess; 200 cells are run
through /execute (a mix: prints, values, a DataFrame, a figure every 20th cell), then each format is
downloaded 20 times. Prints p50/p95 and the size of each export.

    uv run python bench/export.py [--cells 200] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
import time

import httpx
from common import pct, start_server  # bench/ is on sys.path when run as a script
from replicas import free_port

from lgurban.settings import Settings

GOAL_MS = 300.0


def cell(i: int) -> str:
    if i == 0:
        return "import pandas as pd\nimport matplotlib.pyplot as plt\nx = 0"
    if i % 20 == 0:
        return f"plt.plot(range({i}))\nplt.title('cell {i}')\nplt.show()"
    if i % 5 == 0:
        return f"pd.DataFrame({{'a': range(10), 'b': [v * {i} for v in range(10)]}})"
    if i % 2 == 0:
        return f"x += {i}\nprint('x is', x)"
    return f"x * {i}"


def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        names = {f.upper() for f in Settings.model_fields}
        env = {k: v for k, v in os.environ.items() if k.upper() not in names}
        env.update(ENVIRONMENT="test", DATA_DIR=tmp, SANDBOX_REQUIRE_ISOLATION="false")
        port = free_port()
        proc = start_server(env, port, "--migrate")
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                tid = client.post("/api/threads", json={"title": "export bench"}).json()["id"]
                for i in range(args.cells):
                    r = client.post(f"/api/threads/{tid}/execute", json={"code": cell(i)})
                    assert r.status_code == 200 and r.json()["ok"], r.text
                print(f"thread of {args.cells} cells; {args.repeat} downloads per format")
                for fmt in ("ipynb", "py", "html"):
                    times, size = [], 0
                    for _ in range(args.repeat):
                        t0 = time.perf_counter()
                        r = client.get(f"/api/threads/{tid}/export", params={"format": fmt})
                        times.append((time.perf_counter() - t0) * 1000)
                        assert r.status_code == 200, r.text
                        size = len(r.content)
                    print(
                        f"  {fmt:<6} p50 {pct(times, 50):6.1f} ms  p95 {pct(times, 95):6.1f} ms  "
                        f"{size / 1024:7.0f} KiB  (goal p95 <= {GOAL_MS:g} ms)"
                    )
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    main(parser.parse_args())
