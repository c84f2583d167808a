import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

from config_service.cli import affinity

SVC_DIR = Path(__file__).resolve().parents[2]


def run_python(code: str, **popen) -> str:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=SVC_DIR, capture_output=True,
                          text=True, check=True, timeout=30, **popen).stdout


def test_least_used_prefers_a_free_cpu_then_takes_turns():
    assert affinity.least_used([0, 1], [], turn=0) == 0
    assert affinity.least_used([0, 1], [], turn=1) == 1
    assert affinity.least_used([0, 1], [0], turn=0) == 1
    assert affinity.least_used([2, 5, 7], [2, 2, 5], turn=0) == 7
    assert affinity.least_used([0, 1], [0, 1], turn=3) == 1


def test_current_cpu_is_field_39_of_stat_even_with_a_parenthesis_in_the_name(tmp_path):
    stat = tmp_path / "stat"
    fields = [str(n) for n in range(3, 53)]
    fields[36] = "7"  # field 39, the third of them being field 3
    stat.write_text("4242 (odd) name) " + " ".join(fields) + "\n")
    assert affinity.current_cpu(stat) == 7
    stat.write_text("4242 (cut short) S 1\n")
    assert affinity.current_cpu(stat) is None
    assert affinity.current_cpu(tmp_path / "missing") is None
    assert affinity.current_cpu() in affinity.usable_cpus()


def test_pin_moves_every_thread_and_those_started_later():
    cpu = affinity.usable_cpus()[-1]
    printed = run_python(f"""
        import os, threading
        from config_service.cli import affinity
        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
        affinity.pin({cpu})
        threading.Thread(target=stop.wait).start()
        tasks = os.listdir("/proc/self/task")
        print(len(tasks), sorted({{tuple(os.sched_getaffinity(int(t))) for t in tasks}}))
        stop.set()
    """)
    assert printed.split(maxsplit=1) == ["3", f"[({cpu},)]\n"]


def test_pinned_cpu_names_the_one_cpu_of_a_process_or_none():
    cpus = affinity.usable_cpus()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               preexec_fn=lambda: os.sched_setaffinity(0, {cpus[-1]}))
    try:
        assert affinity.pinned_cpu(sleeper.pid) == cpus[-1]
    finally:
        sleeper.kill()
        sleeper.wait()
    assert affinity.pinned_cpu(sleeper.pid) is None  # gone
    free = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert affinity.pinned_cpu(free.pid) == (cpus[0] if len(cpus) == 1 else None)
    finally:
        free.kill()
        free.wait()


def test_the_one_worker_is_pinned_where_it_runs_unless_there_is_one_cpu():
    assert affinity.pin_this_process([3]) == "left as it is (one CPU to run on)"
    printed = run_python("""
        import os
        from config_service.cli import affinity
        print(affinity.pin_this_process([0, 1]))
        print(sorted(os.sched_getaffinity(0)))
    """, preexec_fn=lambda: os.sched_setaffinity(0, {affinity.usable_cpus()[-1]}))
    cpu = affinity.usable_cpus()[-1]
    if cpu in (0, 1):  # it stays on the CPU it runs on
        assert printed == f"{cpu}, one of 2 (WORKER_CPU_AFFINITY=off lets the kernel move it)\n[{cpu}]\n"
    else:  # the CPU it runs on is not one it was given: the first of those
        assert printed.splitlines()[0].startswith("0, one of 2")


def test_a_cpu_refused_leaves_the_worker_as_it_is():
    before = os.sched_getaffinity(0)
    assert affinity.pin_this_process([4096, 4097]) == "left as it is (CPU 4096 refused: Invalid argument)"
    assert os.sched_getaffinity(0) == before


def test_workers_get_a_cpu_each_in_turn_and_a_restarted_one_the_cpu_left_free(monkeypatch):
    assert affinity.WorkerCpus([4]).next() is None  # one CPU: the kernel places them
    children: list = []
    pins: dict[int, int] = {}
    monkeypatch.setattr(affinity.multiprocessing, "active_children", lambda: children)
    monkeypatch.setattr(affinity, "pinned_cpu", pins.get)
    choice = affinity.WorkerCpus([0, 1])
    assert [choice.next(), choice.next()] == [0, 1]  # not yet pinned themselves: turns decide
    children[:] = [types.SimpleNamespace(pid=11)]  # the worker on 0 died; the one on 1 runs
    pins.update({11: 1})
    assert choice.next() == 0
