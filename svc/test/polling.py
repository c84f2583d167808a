"""Waiting for a condition that another thread or process brings about."""

import time


def wait_until(predicate, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)  # polling a condition, not standing in for it
