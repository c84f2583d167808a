"""Load generators: wrk when installed, else an asyncio HTTP/1.1 client in its own process."""

import asyncio
import multiprocessing
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.workload import Workload


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(workload: Workload, url: str, connections: int, seconds: float, prefer_wrk: bool = True) -> Result:
    if prefer_wrk and shutil.which("wrk"):
        return run_wrk(workload, url, connections, seconds)
    return run_python(workload, url, connections, seconds)


# --- wrk -------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def parse_wrk(output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(rps, p50, p99, errors, "wrk")


def run_wrk(workload: Workload, url: str, connections: int, seconds: float) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(workload.lua())
        script.flush()
        threads = min(2, connections)
        command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--latency",
                   "-s", script.name, url]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


# --- Python generator --------------------------------------------------------------------

async def _connection(host, port, workload, counter, deadline, latencies, errors):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < deadline:
            n = next(counter)
            method, path, body = workload.request(n)
            head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            if workload.authorization:
                head += f"Authorization: {workload.authorization}\r\n"
            head += f"Content-Length: {len(body)}\r\n\r\n"
            started = time.perf_counter()
            writer.write(head.encode() + body)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not status_line.split()[1].startswith(b"2"):
                errors[0] += 1
    finally:
        writer.close()


async def _generate(workload, url, connections, seconds):
    import itertools

    parts = urlsplit(url)
    counter = itertools.count()
    latencies: list[float] = []
    errors = [0]
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(
        _connection(parts.hostname, parts.port, workload, counter, deadline, latencies, errors)
        for _ in range(connections)
    ))
    elapsed = time.monotonic() - started
    return len(latencies), elapsed, sorted(latencies), errors[0]


def _generator_process(workload, url, connections, seconds, queue) -> None:
    queue.put(asyncio.run(_generate(workload, url, connections, seconds)))


def run_python(workload: Workload, url: str, connections: int, seconds: float) -> Result:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_generator_process, args=(workload, url, connections, seconds, queue))
    process.start()
    count, elapsed, latencies, errors = queue.get(timeout=seconds + 60)
    process.join()
    return Result(count / elapsed, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000,
                  errors, "python")
