"""Change-feed watchers at scale: commit-to-client latency, idle cost and memory per watcher.

The watchers are long-poll requests or SSE streams from one asyncio process (this one),
each following the feed from `now`; a writer then commits a few events, and each
watcher's latency is the time it received an event minus the event's `occurred_at`
(both the same machine's clock).
"""

import asyncio
import json
import re
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.load import percentile

_SEQ = re.compile(r'"seq" : (\d+)')


async def _connect(url: str):
    parts = urlsplit(url)
    return await asyncio.open_connection(parts.hostname, parts.port)


def _head(path: str, authorization: str | None) -> bytes:
    """A GET request's head, with the Authorization header when given."""
    auth = f"Authorization: {authorization}\r\n" if authorization else ""
    return f"GET {path} HTTP/1.1\r\nHost: bench\r\n{auth}\r\n".encode()


async def _get(reader, writer, path: str, authorization: str | None) -> bytes:
    """One keep-alive HTTP/1.1 GET on a raw connection (httpx costs too much CPU per watcher)."""
    writer.write(_head(path, authorization))
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    return await reader.readexactly(length)


async def _long_poll(url: str, cursor: str, received: list, ready: asyncio.Event, authorization: str | None) -> None:
    reader, writer = await _connect(url)
    try:
        ready.set()
        while True:
            page = json.loads(await _get(reader, writer, f"/api/v1/events?after={cursor}&wait=60", authorization))
            arrived = time.time()
            received.extend((event["seq"], arrived) for event in page["items"])
            cursor = page["next"]
    finally:
        writer.close()


async def _stream(url: str, cursor: str, received: list, ready: asyncio.Event, authorization: str | None) -> None:
    reader, writer = await _connect(url)
    try:
        writer.write(_head(f"/api/v1/events/stream?after={cursor}", authorization))
        while True:
            chunk = await reader.read(65536)  # chunked framing left in: only the data lines are looked at
            if not chunk:
                return
            arrived = time.time()
            if b": connected" in chunk:
                ready.set()
            received.extend((int(seq), arrived) for seq in _SEQ.findall(chunk.decode("utf-8", "replace")))
    finally:
        writer.close()


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


async def _watch(url: str, app_id: str, watchers: int, mode: str, writes: int, server_pid: int | None,
                 headers: dict[str, str]) -> dict:
    limits = httpx.Limits(max_connections=watchers + 8, max_keepalive_connections=watchers + 8)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=120) as client:
        cursor = (await client.get("/api/v1/events", params={"after": "now"})).json()["next"]
        before_kib = rss_kib(server_pid) if server_pid else 0
        follow = _long_poll if mode == "long-poll" else _stream
        received = [[] for _ in range(watchers)]
        ready = [asyncio.Event() for _ in range(watchers)]
        auth = headers.get("Authorization")
        tasks = [asyncio.create_task(follow(url, cursor, received[i], ready[i], auth)) for i in range(watchers)]
        await asyncio.gather(*(event.wait() for event in ready))
        await asyncio.sleep(1.0)  # let every request reach the server and wait (a benchmark, not a test)
        idle_kib = rss_kib(server_pid) if server_pid else 0
        for n in range(writes):
            await client.put(f"/api/v1/applications/{app_id}", json={"name": f"watched-{mode}-{watchers}-{n}"})
            await asyncio.sleep(0.25)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(len(r) < writes for r in received):
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        page = (await client.get("/api/v1/events", params={"after": cursor, "limit": writes})).json()
    occurred = {e["seq"]: datetime.fromisoformat(e["occurred_at"].replace("Z", "+00:00")).timestamp()
                for e in page["items"]}
    latencies = sorted((arrived - occurred[seq]) * 1000 for r in received for seq, arrived in r if seq in occurred)
    return {
        "mode": mode, "watchers": watchers, "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99), "missing": watchers * writes - len(latencies),
        "rss_per_watcher_kib": (idle_kib - before_kib) / watchers if server_pid else None,
    }


def measure(url: str, app_id: str, watchers: int, mode: str, writes: int = 8, server_pid: int | None = None,
            headers: dict[str, str] | None = None) -> dict:
    """One row of the table; `headers` (the Authorization header) go with every request."""
    return asyncio.run(_watch(url, app_id, watchers, mode, writes, server_pid, headers or {}))


def idle_watchers(url: str, watchers: int, headers: dict[str, str] | None = None):
    """`watchers` long-poll requests held open from a thread of its own, until `stop` is set."""
    stop = threading.Event()
    started = threading.Event()

    async def hold() -> None:
        limits = httpx.Limits(max_connections=watchers + 8, max_keepalive_connections=watchers + 8)
        async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=120) as client:
            cursor = (await client.get("/api/v1/events", params={"after": "now"})).json()["next"]
            tasks = [asyncio.create_task(client.get("/api/v1/events", params={"after": cursor, "wait": 60}))
                     for _ in range(watchers)]
            await asyncio.sleep(2.0)
            started.set()
            while not stop.is_set():
                await asyncio.sleep(0.1)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    thread = threading.Thread(target=lambda: asyncio.run(hold()), daemon=True)
    thread.start()
    started.wait(60)
    return stop, thread


def table(rows: list[dict], get_without: float, get_with: float, watchers: int) -> str:
    lines = [
        "Change-feed watchers (1 worker; the watchers run in one Python process on the same cores):",
        "",
        "| mode | watchers | commit-to-client p50 ms | p99 ms | missing | server RSS per idle watcher KiB |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        per = "—" if row["rss_per_watcher_kib"] is None else f"{row['rss_per_watcher_kib']:.1f}"
        lines.append(f"| {row['mode']} | {row['watchers']:,} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
                     f"{row['missing']} | {per} |")
    ratio = get_with / get_without if get_without else float("nan")
    lines += ["", f"GET application, 32 connections: {get_without:,.0f} req/s without watchers, {get_with:,.0f} "
                  f"with {watchers:,} idle long-poll watchers ({ratio:.0%})."]
    return "\n".join(lines)

