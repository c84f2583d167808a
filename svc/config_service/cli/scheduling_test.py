import os
import subprocess
import sys

from config_service.cli import scheduling
from config_service.settings import SVC_DIR

SHOW = (
    "from config_service.cli.scheduling import lower_session_priority, AUTOGROUP;"
    "print(lower_session_priority(7)); print(AUTOGROUP.read_text().strip())"
)


def run_child(new_session: bool) -> list[str]:
    child = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=SVC_DIR, capture_output=True, text=True, check=True,
        start_new_session=new_session,
    )
    return child.stdout.splitlines()


def test_a_session_leader_lowers_its_own_autogroup_on_this_kernel():
    done, autogroup = run_child(new_session=True)
    if scheduling.AUTOGROUP_ENABLED.read_text().strip() == "1":
        assert done.startswith("nice 7:") and autogroup.endswith("nice 7"), (done, autogroup)
    else:
        assert done == "left as it is (the kernel's autogroup is off)"


def test_a_process_inside_someone_elses_session_changes_nothing():
    done, autogroup = run_child(new_session=False)
    assert done.startswith("left as it is (the service does not lead its session")
    assert autogroup == scheduling.AUTOGROUP.read_text().strip()  # still the caller's group


def leading_our_session(monkeypatch):
    monkeypatch.setattr(scheduling.os, "getsid", lambda pid: os.getpid())


def test_writes_the_nice_value_only_when_the_kernel_groups_sessions(monkeypatch, tmp_path):
    leading_our_session(monkeypatch)
    autogroup, enabled = tmp_path / "autogroup", tmp_path / "enabled"
    autogroup.write_text("/autogroup-1 nice 0\n")
    enabled.write_text("0\n")
    assert scheduling.lower_session_priority(5, autogroup, enabled) == "left as it is (the kernel's autogroup is off)"
    assert autogroup.read_text() == "/autogroup-1 nice 0\n"
    enabled.write_text("1\n")
    assert scheduling.lower_session_priority(5, autogroup, enabled).startswith("nice 5:")
    assert autogroup.read_text() == "5"


def test_zero_leaves_the_priority_alone(monkeypatch, tmp_path):
    leading_our_session(monkeypatch)
    autogroup, enabled = tmp_path / "autogroup", tmp_path / "enabled"
    enabled.write_text("1\n")
    assert scheduling.lower_session_priority(0, autogroup, enabled) == "left as it is (AUTOGROUP_NICE=0)"
    assert not autogroup.exists()


def test_a_kernel_without_autogroup_is_reported_not_raised(monkeypatch, tmp_path):
    leading_our_session(monkeypatch)
    missing = tmp_path / "no-such-file"
    assert scheduling.lower_session_priority(5, tmp_path / "autogroup", missing) == (
        f"left as it is ({missing}: No such file or directory)"
    )
