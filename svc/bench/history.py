"""Latency of the history and feed reads on a large log, one connection, requests back to back."""

import random
import statistics
import time

import httpx

from bench.load import percentile
from config_service.services.feed import Position, encode_cursor


def paths(config_id: str, versions: int, positions: list[tuple[int, int]], instants: list[str],
          rng: random.Random) -> dict:
    """Request path makers, one per workload; `positions`: (txid, seq) of events to page after."""
    base = f"/api/v1/configurations/{config_id}"
    return {
        "history page (100 of a configuration's versions)":
            lambda: f"{base}/history?limit=100&before_version={rng.randint(101, versions)}",
        "versions/{n}": lambda: f"{base}/versions/{rng.randint(1, versions)}",
        "as_of": lambda: f"{base}?as_of={rng.choice(instants)}",
        "diff": lambda: f"{base}/diff?from={rng.randint(1, versions)}&to={rng.randint(1, versions)}",
        "events page (100, after a cursor mid-log)": lambda: f"/api/v1/events?limit=100&after="
        + encode_cursor(Position(*rng.choice(positions))),
    }


def measure(url: str, config_id: str, versions: int, positions: list[tuple[int, int]],
            requests: int = 300, headers: dict[str, str] | None = None) -> list[tuple]:
    """(workload, p50 ms, p99 ms, mean ms, errors) for each workload; `headers` go with every request."""
    rng = random.Random(7)
    rows = []
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        page = client.get(f"/api/v1/configurations/{config_id}/history?limit=1000").json()["items"]
        instants = [e["occurred_at"] for e in page]
        for name, make_path in paths(config_id, versions, positions, instants, rng).items():
            timings, errors = [], 0
            for _ in range(requests):
                started = time.perf_counter()
                status = client.get(make_path()).status_code
                timings.append((time.perf_counter() - started) * 1000)
                errors += status != 200
            timings.sort()
            rows.append((name, percentile(timings, 0.5), percentile(timings, 0.99), statistics.fmean(timings), errors))
    return rows


def table(rows: list[tuple], events: int, versions: int) -> str:
    lines = [
        f"History and feed reads on a log of {events:,} events (one configuration with {versions:,} versions), "
        "1 connection:",
        "",
        "| read | p50 ms | p99 ms | mean ms | errors |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {name} | {p50:.1f} | {p99:.1f} | {mean:.1f} | {errors} |" for name, p50, p99, mean, errors in rows]
    return "\n".join(lines)
