"""`pipenv run bench`: the service against the database's own ceiling, as one Markdown table."""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from bench import big_log, history, load, pgbench, report, watchers
from bench.seed import seed
from bench.workload import Workload
from config_service.audit import verify_export
from config_service.db import local_postgres
from config_service.db import migrations
from test.live_server import LiveServer

RESULTS_DIR = Path(__file__).resolve().parent / "results"
ENDPOINTS = ["GET application", "GET configuration", "GET list", "POST application", "PUT configuration"]


def prepare_database(admin_url: str, name: str, applications: int, per_application: int):
    local_postgres.execute(admin_url, f"CREATE DATABASE {name}")
    url = local_postgres.with_database(admin_url, name)
    migrations.migrate(url)
    conn = psycopg2.connect(url)
    configs = seed(conn, applications, per_application)
    conn.close()
    return url, configs


def measure(args) -> str:
    work_dir = Path(tempfile.mkdtemp(prefix="config-bench-"))
    server = local_postgres.start(work_dir / "pg", cleanup_mode="delete")
    try:
        admin = server.get_uri()
        url, configs = prepare_database(admin, "bench", args.applications, 5)
        big_url, _ = prepare_database(admin, "bench_list", args.list_applications, 0)
        app_ids = sorted({c["application_id"] for c in configs})
        rows = []
        for workers in args.workers:
            settings = dict(web_concurrency=workers, access_log="false", log_level="WARNING")
            with LiveServer(url, **settings) as live, LiveServer(big_url, **settings) as big:
                # Unrecorded warm-up: every worker has started and served before we measure.
                for server_under_test in (live, big):
                    warm_up = Workload("GET application", app_ids, configs,
                                       authorization=server_under_test.headers["Authorization"])
                    load.run(warm_up, server_under_test.url, max(args.connections), 2, not args.python_load)
                for endpoint in ENDPOINTS:
                    for connections in args.connections:
                        target, name = live, endpoint
                        if endpoint == "GET list":
                            target, name = big, f"GET list ({args.list_applications:,} applications)"
                        workload = Workload(endpoint, app_ids, configs, run_tag=f"w{workers}c{connections}",
                                            authorization=target.headers["Authorization"])
                        result = load.run(workload, target.url, connections, args.seconds, not args.python_load)
                        rows.append((name, workers, connections, result))
                        print(f"  {name:<40} workers={workers} connections={connections:<3} "
                              f"{result.requests_per_second:8.0f} req/s  p99 {result.p99_ms:6.1f} ms  "
                              f"errors {result.errors}  ({result.tool})", file=sys.stderr)
        ceilings = {}
        pgbench_path = local_postgres.tool("pgbench")
        pg_url, pg_configs = prepare_database(admin, "bench_pgbench", args.applications, 5)
        pg_apps = sorted({c["application_id"] for c in pg_configs})
        for endpoint, sql_scripts in pgbench.scripts(pg_apps, pg_configs).items():
            target = local_postgres.with_database(admin, "bench_list") if endpoint == "GET list" else pg_url
            ceilings[endpoint] = pgbench.run(pgbench_path, target, sql_scripts, max(1, int(args.seconds)))
            print(f"  pgbench {endpoint:<30} {ceilings[endpoint]:8.0f} tps", file=sys.stderr)
        watched = measure_watchers(url, app_ids, configs, args)
        return report.table(rows, ceilings) + "\n\n" + measure_log(admin, args) + "\n\n" + watched
    finally:
        server.cleanup()
        shutil.rmtree(work_dir, ignore_errors=True)


def measure_watchers(url: str, app_ids: list[str], configs: list[dict], args) -> str:
    """Long-poll and SSE watchers: latency, memory, and GET throughput beside idle ones."""
    rows = []
    with LiveServer(url, access_log="false", log_level="WARNING") as live:
        for mode in ("long-poll", "sse"):
            for count in args.watchers:
                row = watchers.measure(live.url, app_ids[0], count, mode, server_pid=live.process.pid,
                                       headers=live.headers)
                print(f"  {mode} watchers={count}: p50 {row['p50_ms']:.1f} ms p99 {row['p99_ms']:.1f} ms "
                      f"missing {row['missing']}", file=sys.stderr)
                rows.append(row)
        workload = Workload("GET application", app_ids, configs, run_tag="watched",
                            authorization=live.headers["Authorization"])
        connections = max(args.connections)
        without = load.run(workload, live.url, connections, args.seconds, not args.python_load)
        stop, holder = watchers.idle_watchers(live.url, max(args.watchers), live.headers)
        try:
            beside = load.run(workload, live.url, connections, args.seconds, not args.python_load)
        finally:
            stop.set()
            holder.join(30)
    return watchers.table(rows, without.requests_per_second, beside.requests_per_second, max(args.watchers))


def measure_log(admin: str, args) -> str:
    """History and feed reads, and `audit verify`, on a log of args.log_events events."""
    url, configs = prepare_database(admin, "bench_log", 1, 1)
    conn = psycopg2.connect(url)
    started = time.monotonic()
    big_log.fill(conn, args.log_events - args.log_versions - 1, configs[0]["id"], args.log_versions)
    positions = big_log.positions_mid_log(conn, args.log_events)
    conn.close()
    print(f"  log of {args.log_events:,} events written in {time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    verified = subprocess.run([sys.executable, "-m", "config_service.cli.audit", "verify"], capture_output=True,
                              text=True, env={**os.environ, "DATABASE_URL": url})
    verify_seconds = time.monotonic() - started
    with LiveServer(url, access_log="false", log_level="WARNING") as live:
        rows = history.measure(live.url, configs[0]["id"], args.log_versions, positions, headers=live.headers)
    return (history.table(rows, args.log_events, args.log_versions)
            + f"\n\n`audit verify` of {args.log_events:,} events: {verify_seconds:.1f} s "
            f"(exit {verified.returncode}: {verified.stdout.strip()})\n\n" + measure_export(url, args.log_events))


def timed(command: list[str], env: dict) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB, last line of output) of one command run to its end."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with process.stdout:
        output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # reaped here, for its rusage: Popen is told the outcome
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage.ru_maxrss // 1024, (output.strip().splitlines() or [""])[-1]


def measure_export(url: str, events: int) -> str:
    """`audit export` of the whole log to a file, then the offline verifier on it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.ndjson"
        env = {**os.environ, "DATABASE_URL": url, "MIGRATION_DATABASE_URL": url}
        exported = timed([sys.executable, "-m", "config_service.cli.audit", "export", "--output", str(path)], env)
        size = path.stat().st_size / 2**20
        verifier = str(Path(verify_export.__file__))
        checked = timed([sys.executable, verifier, str(path)], env)
    return (f"`audit export` of {events:,} events: {exported[0]:.1f} s, peak RSS {exported[1]} MiB, {size:,.0f} MiB "
            f"written; offline `verify_export.py`: {checked[0]:.1f} s, peak RSS {checked[1]} MiB ({checked[2]})")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--list-applications", type=int, default=10_000)
    parser.add_argument("--watchers", type=int, nargs="+", default=[100, 1000], help="feed watchers to measure")
    parser.add_argument("--log-events", type=int, default=1_000_000, help="events in the log for history reads")
    parser.add_argument("--log-versions", type=int, default=10_000, help="versions of the configuration read")
    parser.add_argument("--python-load", action="store_true", help="use the Python generator even if wrk exists")
    parser.add_argument("--output", type=Path, default=None)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    table = measure(args)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    output = args.output or RESULTS_DIR / f"bench-{stamp}.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Benchmark {stamp}\n\n{os.cpu_count()} cores; {args.seconds:g} s per measurement.\n\n"
    output.write_text(header + table + "\n")
    print(table)
    print(f"\nwritten to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
