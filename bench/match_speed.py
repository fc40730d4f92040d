"""Identity-matching speed: real-time resolution of one record against N golden records, and mdm_match over N.

    .venv/bin/python bench/match_speed.py --sizes 10000 100000 1000000

For each size: N synthetic customer records (matching/synth.py) are loaded with mdm_import into a scratch
database, customers are switched to probabilistic matching, and `mdm_match --entity customer --workers 2` indexes,
trains and re-matches them; its wall time and the peak resident memory of its whole process tree are recorded.
Then 1,000 held-out records of the same generator run (most have a true match among the N) are resolved one at a
time, each by a fresh Matcher in one process, as an ingest would: normalisation, blocking-key lookups in
PostgreSQL, candidate features loaded, scored and decided. Targets (issue #3): p95 under 25 ms at 1,000,000;
mdm_match over 1,000,000 under 15 minutes and 4 GB.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import PG, PYTHON, RESULTS, ROOT, fresh_database, manage, psql, record

PROBES = 1_000


def tree_rss(root: int) -> int:
    """Resident memory in bytes of a process and all its descendants (read from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run_measured(args: list[str], env: dict) -> tuple[float, int, str]:
    """Run a command; return its wall seconds, the peak RSS of its process tree, and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0]
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{output}")
    return time.perf_counter() - started, peak, output


def load(size: int, seed: int, directory: str) -> list[dict]:
    """Write the first ``size`` generated records as per-system JSON Lines; return the held-out probes."""
    from matching.synth import generate

    handles: dict[str, object] = {}
    probes = []
    for i, r in enumerate(generate(size + PROBES, seed)):
        if i >= size:
            probes.append(r.attributes)
            continue
        if r.system not in handles:
            handles[r.system] = open(os.path.join(directory, f"{r.system}.jsonl"), "w")  # noqa: SIM115
        handles[r.system].write(json.dumps(r.import_line()) + "\n")
    for handle in handles.values():
        handle.close()
    return probes


def probe(probes_file: str) -> None:
    """Child process: resolve each held-out record with a fresh Matcher; print latencies (ms) as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mdmhub.settings")
    import django

    django.setup()
    from matching.engine import Matcher
    from matching.features import features_of

    attributes = json.loads(Path(probes_file).read_text())
    timings, actions = [], {}
    for i, attrs in enumerate(attributes[:50] + attributes):  # the first 50 warm the connection and caches
        started = time.perf_counter()
        decision = Matcher("customer").decide(features_of("customer", attrs))
        elapsed = (time.perf_counter() - started) * 1000
        if i >= 50:
            timings.append(elapsed)
            actions[decision.action] = actions.get(decision.action, 0) + 1
    print(json.dumps({"ms": timings, "actions": actions}))


def measure(size: int, seed: int, workers: int, reuse: bool) -> dict:
    loaded = f"mdmhub_bench_match_speed_{size}_{seed}"  # the imported state, kept with --reuse
    db = f"{PG}/mdmhub_bench_match_speed"
    psql(f"{PG}/postgres", "DROP DATABASE IF EXISTS mdmhub_bench_match_speed")
    have = reuse and psql(f"{PG}/postgres", f"SELECT 1 FROM pg_database WHERE datname = '{loaded}'")
    if have:
        psql(f"{PG}/postgres", f"CREATE DATABASE mdmhub_bench_match_speed TEMPLATE {loaded}")
        manage("migrate", "-v0", db=db)
    else:
        db = fresh_database("mdmhub_bench_match_speed")
        manage("mdm_system", "add", "sap", "--kind", "erp", db=db, capture=True)
        for code in ("odoo", "zendesk", "servicenow", "freshdesk", "salesforce"):
            manage("mdm_system", "add", code, "--kind", "support", db=db, capture=True)
    env = {**os.environ, "DATABASE_URL": db, "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as tmp:
        probes = load(size, seed, tmp)
        started = time.perf_counter()
        if not have:
            for name in sorted(os.listdir(tmp)):
                manage(
                    "mdm_import", os.path.join(tmp, name), "--system", name.removesuffix(".jsonl"),
                    "--entity", "customer", "--workers", str(workers), "--no-progress", db=db, capture=True,
                )  # fmt: skip
            if reuse:
                psql(f"{PG}/postgres", f"DROP DATABASE IF EXISTS {loaded}")
                psql(f"{PG}/postgres", f"CREATE DATABASE {loaded} TEMPLATE mdmhub_bench_match_speed")
        import_seconds = time.perf_counter() - started
        psql(
            db,
            "INSERT INTO matching_matchsettings (entity, mode, auto_threshold, review_threshold, max_candidates,"
            " block_cap, updated_at) VALUES ('customer', 'probabilistic', 0.97, 0.5, 20, 150, now())"
            " ON CONFLICT (entity) DO UPDATE SET mode = 'probabilistic'",
        )
        match_seconds, peak, output = run_measured(
            [PYTHON, str(ROOT / "manage.py"), "mdm_match", "--entity", "customer", "--workers", str(workers), "-v0"],
            env,
        )
        probes_file = os.path.join(tmp, "probes.json")
        Path(probes_file).write_text(json.dumps(probes))
        child = subprocess.run(
            [PYTHON, __file__, "--probe", probes_file], env=env, check=True, capture_output=True, text=True
        )
    print(output.strip(), flush=True)
    latencies = json.loads(child.stdout.strip().splitlines()[-1])
    ms = sorted(latencies["ms"])
    goldens = int(psql(db, "SELECT count(*) FROM canonical_customer WHERE merged_into_id IS NULL"))
    result = {
        "size": size,
        "goldens": goldens,
        "import_s": import_seconds,
        "match_s": match_seconds,
        "peak_gb": peak / 2**30,
        "p50": statistics.median(ms),
        "p95": ms[int(len(ms) * 0.95) - 1],
        "p99": ms[int(len(ms) * 0.99) - 1],
        "actions": latencies["actions"],
        "summary": output.strip().splitlines()[-1] if output.strip() else "",
        "phases": " / ".join(
            m.group(1) if (m := re.search(pattern, output)) else "-"
            for pattern in (r"matching in (\d+) s", r"trained in (\d+) s", r"re-match (\d+) s")
        ),
    }
    print(
        f"{size:>9,} records ({goldens:,} goldens): import {import_seconds:.0f} s, mdm_match {match_seconds:.0f} s "
        f"(peak {result['peak_gb']:.2f} GB); real-time p50 {result['p50']:.1f} ms p95 {result['p95']:.1f} ms "
        f"p99 {result['p99']:.1f} ms {latencies['actions']}",
        flush=True,
    )
    return result


def earlier_rows() -> dict[int, str]:
    """Table rows of the match-speed section already in docs/benchmarks.md, by size."""
    if not RESULTS.exists():
        return {}
    text = RESULTS.read_text()
    if "<!-- match-speed -->" not in text:
        return {}
    section = text.split("<!-- match-speed -->", 1)[1].split("<!-- /match-speed -->", 1)[0]
    rows = {}
    for line in section.splitlines():
        if m := re.match(r"\| ([\d,]+) \| [\d,]+ \|", line):
            rows[int(m.group(1).replace(",", ""))] = line
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help="keep the imported database and start from it next time")
    args = parser.parse_args()
    if args.probe:
        probe(args.probe)
        return
    results = [measure(size, args.seed, args.workers, args.reuse) for size in args.sizes]
    fresh = {
        r["size"]: f"| {r['size']:,} | {r['goldens']:,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
        f"{r['match_s']:.0f} s ({r['match_s'] / r['size'] * 1e6:.0f} µs/record) | {r['phases']} | "
        f"{r['peak_gb']:.2f} GB |"
        for r in results
    }
    rows = "\n".join(row for _, row in sorted({**earlier_rows(), **fresh}.items()))
    record(
        "match-speed",
        f"""## Identity-matching speed (bench/match_speed.py)

Synthetic customers (seed {args.seed}) loaded with mdm_import, then `mdm_match --entity customer --workers
{args.workers}` (index + train + re-match; wall time and peak RSS of its process tree). Real-time: {PROBES:,}
held-out records resolved one at a time by a fresh Matcher (normalise, blocking lookups, candidate features,
score, decide) against the stored golden records in PostgreSQL. Rows of sizes not run this time are kept from
earlier runs.

| records | live goldens | real-time p50 ms | p95 ms | p99 ms | mdm_match | index / train / re-match s | peak memory |
|---:|---:|---:|---:|---:|---:|---:|---:|
{rows}

Targets: p95 under 25 ms against 1,000,000 golden records; mdm_match over 1,000,000 records under 15 minutes and
4 GB.""",
    )


if __name__ == "__main__":
    main()
