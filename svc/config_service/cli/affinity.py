"""Each worker process on one CPU (WORKER_CPU_AFFINITY=auto, the default).

A worker's threads (its event loop and its executor's) take turns holding one interpreter
lock, so a worker never uses much more than one core; but when the kernel spreads those
threads over several cores, every hand-over of the lock wakes a thread on another core.
Measured on 2 cores, one worker, the same process moved back and forth between one CPU and
both (2026-12-04): GET of an application 3,600-3,900 req/s at 0.24-0.27 ms of the worker's
CPU per request on one CPU, against 2,200-2,900 req/s at 0.34-0.43 ms on both; POST
0.38-0.43 against 0.46-0.53 ms. PostgreSQL and every other process stay where the kernel
puts them.
"""

import multiprocessing
import os
from collections.abc import Sequence
from pathlib import Path

SELF_STAT = Path("/proc/self/stat")
SELF_TASKS = Path("/proc/self/task")


def usable_cpus() -> list[int]:
    """The CPUs this process may run on (a cpuset or `taskset` narrows them)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return []


def current_cpu(stat: Path = SELF_STAT) -> int | None:
    """The CPU this thread last ran on (field 39 of /proc/self/stat)."""
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[36])
    except (OSError, IndexError, ValueError):
        return None


def pin(cpu: int, tasks: Path = SELF_TASKS) -> str | None:
    """Run every thread of this process, and every thread it starts from now on, on `cpu`.
    Returns why not when the kernel refuses (a cpuset changed meanwhile, or a policy):
    serving matters more than where, so the caller logs it and goes on."""
    for task in tasks.iterdir():
        try:
            os.sched_setaffinity(int(task.name), {cpu})
        except ProcessLookupError:  # a thread that ended meanwhile
            pass
        except OSError as error:
            return f"CPU {cpu} refused: {error.strerror}"
    return None


def pinned_cpu(pid: int) -> int | None:
    """The one CPU process `pid` is pinned to, or None (free to move, or gone)."""
    try:
        cpus = os.sched_getaffinity(pid)
    except OSError:
        return None
    return next(iter(cpus)) if len(cpus) == 1 else None


def least_used(cpus: Sequence[int], taken: Sequence[int], turn: int) -> int:
    """The CPU of `cpus` that fewest of `taken` use; a tie goes to the one next in turn."""
    return min(cpus, key=lambda cpu: (taken.count(cpu), (cpus.index(cpu) - turn) % len(cpus)))


def pin_this_process(cpus: Sequence[int]) -> str:
    """Pin the one worker (this process) to the CPU it runs on now; returns what was done,
    for the log. Several single-worker services on one machine thus land where the kernel
    had put each, not all on the first CPU."""
    if len(cpus) < 2:
        return "left as it is (one CPU to run on)"
    cpu = current_cpu()
    cpu = cpu if cpu in cpus else cpus[0]
    refused = pin(cpu)
    if refused:
        return f"left as it is ({refused})"
    return f"{cpu}, one of {len(cpus)} (WORKER_CPU_AFFINITY=off lets the kernel move it)"


class WorkerCpus:
    """Chooses the CPU of each worker process the supervisor starts or restarts: the one
    fewest running workers are pinned to, taking turns, so N workers on N CPUs get one each."""

    def __init__(self, cpus: Sequence[int]) -> None:
        self.cpus = list(cpus)
        self.turn = 0

    def next(self) -> int | None:
        if len(self.cpus) < 2:
            return None
        running = [pinned_cpu(child.pid) for child in multiprocessing.active_children()]
        cpu = least_used(self.cpus, [c for c in running if c is not None], self.turn)
        self.turn += 1
        return cpu
