"""Bounded client load for resilience tests: threads writing until told to stop."""

import threading
import time
from dataclasses import dataclass, field

import httpx


@dataclass
class Outcome:
    kind: str  # "create" or "update"
    marker: str
    status: int | None  # None: the request failed at the transport level
    seconds: float
    body: object = None


@dataclass
class WriteLoad:
    """Each thread alternates creating an application and updating its own configuration."""

    base_url: str
    config_ids: list[str]
    headers: dict = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> "WriteLoad":
        self._threads = [
            threading.Thread(target=self._write, args=(i, config_id), daemon=True)
            for i, config_id in enumerate(self.config_ids)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 60) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in self._threads), "load threads did not stop"

    def count(self, status: int | None) -> int:
        with self._changed:
            return sum(1 for o in self.outcomes if o.status == status)

    def wait_for(self, predicate, timeout: float) -> None:
        """Block until predicate(self) holds, re-checked after every response."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                assert remaining > 0, "condition not reached in time"
                self._changed.wait(remaining)

    def successes(self) -> int:
        return sum(1 for o in self.outcomes if o.status in (200, 201))

    def _write(self, i: int, config_id: str) -> None:
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30) as client:
            n = 0
            while not self._stop.is_set():
                n += 1
                marker = f"w{i}-{n}"
                kind = "create" if n % 2 else "update"
                started = time.monotonic()
                try:
                    if kind == "create":
                        response = client.post("/api/v1/applications", json={"name": marker})
                    else:
                        body = {"name": f"conf-{i}", "config": {"marker": marker}}
                        response = client.put(f"/api/v1/configurations/{config_id}", json=body)
                    status, body = response.status_code, response.json()
                except (httpx.TransportError, ValueError):
                    status, body = None, None
                outcome = Outcome(kind, marker, status, time.monotonic() - started, body)
                with self._changed:
                    self.outcomes.append(outcome)
                    self._changed.notify_all()
