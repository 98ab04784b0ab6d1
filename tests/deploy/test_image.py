"""The container image, checked without a container engine (none runs on this machine).

The Dockerfile's build steps are the `deploy/image/build.sh` steps its RUN lines call; this test copies what
the Dockerfile's COPY lines copy (minus .dockerignore), runs the same steps in a throwaway folder — `npm ci` +
`vite build`, `uv sync --frozen --no-dev` — then runs the railway.json pre-deploy command and the image's CMD
with the image's ENV, and asks the server what the platform's health check asks."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
LAYER_ONLY = {"UV_PYTHON", "UV_LINK_MODE", "UV_COMPILE_BYTECODE"}
UV = shutil.which("uv") or str(Path.home() / ".local/bin/uv")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages() -> dict[str, list[tuple[str, str]]]:
    """Each build stage's instructions, by stage name (the last one is 'final')."""
    out: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for word, rest in instructions():
        if word == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else "final"
            current = out.setdefault(name, [])
        current.append((word, rest))
    return out


def ignored(rel: str) -> bool:
    patterns = [
        p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip() and p[0] != "#"
    ]
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(p, pat) for pat in patterns for p in prefixes)


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [f for f in out.stdout.splitlines() if (ROOT / f).is_file()]


def run_stage(name: str, into: Path) -> dict[str, str]:
    """Execute one stage's COPY (from the context) and RUN lines under `into`; its ENV values."""
    env: dict[str, str] = {}
    files = tracked_files()
    for word, rest in stages()[name]:
        if word == "ENV":
            env.update(dict(kv.split("=", 1) for kv in shlex.split(rest)))
        elif word == "COPY" and not rest.startswith("--from"):
            *sources, dest = rest.split()
            for src in sources:
                if src == "deploy/image/build.sh":
                    continue  # installed as `lgurban-build`: called by its path below
                for f in files:
                    if src.endswith("/") and f.startswith(src) and not ignored(f):
                        target = into / dest / f[len(src) :]
                    elif f == src:
                        target = into / dest / Path(f).name
                    else:
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / f, target)
        elif word == "RUN":
            step = shlex.split(rest)
            if name == "final":  # the run stage only makes its user and /data: nothing to build here
                assert step[0] == "useradd" and "pip" not in rest and "apt" not in rest, rest
                continue
            assert step[0] == "lgurban-build", f"every build RUN line calls build.sh, not: {rest}"
            subprocess.run(
                ["sh", str(ROOT / "deploy/image/build.sh"), step[1], str(into)],
                check=True,
                env={
                    **os.environ,
                    "PATH": f"{Path(UV).parent}:{os.environ['PATH']}",
                    "UV_PYTHON": sys.executable,  # the image pins python:3.12; here, this interpreter
                    "UV_PROJECT_ENVIRONMENT": str(into / ".venv"),
                    "npm_config_prefer_offline": "true",  # npm's cache; the command is the same
                    # the image's UV_* values, except the two that only shape its layers (copying files
                    # instead of hard-linking them from uv's cache, compiling 12k .pyc files): a minute here
                    **{k: v for k, v in env.items() if k.startswith("UV_") and k not in LAYER_ONLY},
                },
                stdout=subprocess.DEVNULL,
            )
    return env


def test_dockerfile_passes_hadolint_and_has_what_the_platforms_need() -> None:
    hadolint = str(Path(sys.executable).parent / "hadolint")
    lint = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True)
    assert lint.returncode == 0, lint.stdout.decode()
    final = dict(stages()["final"])
    user = final["USER"].split(":")[0]
    assert user.isdigit() and int(user) != 0, "runs as a non-root, numeric user"
    assert "/api/health" in final["HEALTHCHECK"]
    assert 'lgurban serve --host 0.0.0.0 --port \\"$PORT\\"' in final["CMD"]
    assert {"web", "python", "final"} <= set(stages())
    railway = json.loads((ROOT / "railway.json").read_text())
    assert railway["build"] == {"builder": "DOCKERFILE", "dockerfilePath": "Dockerfile"}
    assert railway["deploy"]["preDeployCommand"] == ["lgurban db upgrade"]
    assert railway["deploy"]["healthcheckPath"] == "/api/health"
    render = (ROOT / "render.yaml").read_text()
    assert "runtime: docker" in render and "healthCheckPath: /api/health" in render
    assert "preDeployCommand: lgurban db upgrade" in render


@pytest.mark.timeout(180)
def test_the_image_build_steps_make_a_server_that_serves_the_app(tmp_path: Path) -> None:
    started = time.monotonic()
    web, py = tmp_path / "web", tmp_path / "py"
    run_stage("web", web)
    run_stage("python", py)
    site = next((py / ".venv/lib").glob("python3*/site-packages"))
    assert not (site / "pytest").exists(), "no dev packages in the image"
    assert (site / "lgurban/__init__.py").exists(), "the project is installed, not editable"
    shutil.rmtree(py / "src")  # the final stage copies only the venv: the sources must not be needed
    env = run_stage("final", tmp_path / "final")
    port = free_port()
    env.update(
        PATH=f"{py / '.venv/bin'}:{os.environ['PATH']}",
        FRONTEND_DIST=str(web / "frontend/dist"),
        DATA_DIR=str(tmp_path / "data"),
        PORT=str(port),
        SECRET_KEY="x" * 48,
        HOME=str(tmp_path),
    )
    predeploy = subprocess.run(
        ["sh", "-c", "lgurban db upgrade"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert predeploy.returncode == 0, predeploy.stderr
    cmd = json.loads(dict(stages()["final"])["CMD"])
    log = (tmp_path / "server.log").open("wb")  # a file, not a pipe: a full pipe would block the server
    server = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            deadline = time.monotonic() + 60
            while True:  # polls the server's own answer, with a deadline
                try:
                    health = http.get("/api/health")
                    break
                except httpx.TransportError:
                    assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                    time.sleep(0.2)
            assert health.json()["checks"]["db"] == "ok", health.text
            index = http.get("/")
            assert index.status_code == 200 and "<div id=" in index.text  # the built web app
            assert http.get("/api/threads").status_code == 401  # AUTH_MODE=token from the image
        healthcheck = json.loads(dict(stages()["final"])["HEALTHCHECK"].split("CMD", 1)[1])
        probe = subprocess.run(healthcheck, env=env, capture_output=True)
        assert probe.returncode == (0 if health.status_code == 200 else 1), probe.stderr
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    # ~75 s on this machine when idle (44 s of it npm ci + vite build); no hard limit: the machine is shared
    print(f"image build steps + start-up: {time.monotonic() - started:.0f} s")
