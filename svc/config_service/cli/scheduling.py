"""The service's share of the CPU against a PostgreSQL on the same machine.

With the kernel's autogroup on (the default of most distributions), CPU time is shared
fairly between sessions first, then between the processes of a session. PostgreSQL runs
in a session of its own (pg_ctl starts it with setsid), so under full load a backend the
service is waiting for could stay runnable yet unscheduled for up to a second (measured
with `perf sched latency`: 1,044 ms), while the workers kept both cores busy with other
requests. A lower priority for the service's session lets the backends run first; the
workers still get every cycle PostgreSQL does not need.
"""

import os
from pathlib import Path

AUTOGROUP = Path("/proc/self/autogroup")
AUTOGROUP_ENABLED = Path("/proc/sys/kernel/sched_autogroup_enabled")


def lower_session_priority(
    nice: int, autogroup: Path = AUTOGROUP, enabled: Path = AUTOGROUP_ENABLED
) -> str:
    """Give this session's autogroup the nice value `nice` (0 leaves it alone) when this
    process leads its session: a shell's or a terminal's session is never changed.
    Returns what was done, for the log."""
    if nice == 0:
        return "left as it is (AUTOGROUP_NICE=0)"
    if os.getsid(0) != os.getpid():
        return "left as it is (the service does not lead its session; start it with setsid or from a service manager)"
    try:
        if enabled.read_text().strip() != "1":
            return "left as it is (the kernel's autogroup is off)"
        autogroup.write_text(str(nice))
    except OSError as exc:
        return f"left as it is ({exc.filename or autogroup}: {exc.strerror})"
    return f"nice {nice}: a PostgreSQL on this machine gets the CPU first"
