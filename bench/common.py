"""Shared helpers of the benchmark scripts: machine facts, a scratch database, the results file."""

import contextlib
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "docs" / "benchmarks.md"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {pg}"


def fresh_database(name: str) -> str:
    url = f"{PG}/{name}"
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    manage("migrate", "-v0", db=url)
    return url


def manage(*args: str, db: str, capture: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": db, "LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def psql(db: str, sql: str) -> str:
    return subprocess.run(["psql", db, "-qAtc", sql], check=True, capture_output=True, text=True).stdout.strip()


def single_linkage(links: Iterable[tuple[Hashable, Hashable]]) -> Callable[[Hashable], Hashable]:
    """Union-find over ``links``: the returned function gives any item its cluster's representative."""
    parent: dict = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return find


def record(section: str, body: str) -> None:
    """Replace the section's block in docs/benchmarks.md, keeping the other sections."""
    RESULTS.parent.mkdir(exist_ok=True)
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\nWritten by the scripts under bench/.\n"
    start, end = f"<!-- {section} -->", f"<!-- /{section} -->"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{start}\n{body.strip()}\n\nMeasured {stamp} on {machine()}.\n{end}"
    if start in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
    print(f"wrote section {section!r} of {RESULTS}", file=sys.stderr)


def celery_processes(db: str, count: int, *, beat: bool, env: dict | None = None) -> list[subprocess.Popen]:
    """``count`` Celery worker processes (``--pool solo``) and, with ``beat``, beat, on the benchmark database."""
    env = {**os.environ, "DATABASE_URL": db, "LOG_LEVEL": "WARNING", **(env or {})}
    quiet = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    worker = [
        "worker",
        "--pool",
        "solo",
        "-l",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    procs = [
        subprocess.Popen([PYTHON, "-m", "celery", "-A", "mdmhub", *worker, "-n", f"bench{i}@%h"], **quiet)
        for i in range(count)
    ]
    if beat:
        schedule = f"/tmp/mdmhub-bench-beat-{os.getpid()}"
        procs.append(subprocess.Popen([PYTHON, "-m", "celery", "-A", "mdmhub", "beat", "-l", "WARNING", "-s", schedule],
                                      **quiet))  # fmt: skip
    return procs


def stop_processes(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=30)
