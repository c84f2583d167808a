"""Tokens as last read from the database, per process, so that authenticating a request
costs no round trip in the steady state.

An entry is trusted only while the change listener is connected: every token event
(creation, revocation, rotation, by REST, the command line or SQL) notifies at commit,
and any such hint, a reconnection or a lost connection empties the cache. A read that
was under way when that happened is not stored. Entries also expire after `ttl`.
"""

import time
from typing import Any

MISSING = object()  # not in the cache (None is cached too: no such token)
TTL_SECONDS = 60.0
MAX_ENTRIES = 10_000


class TokenCache:
    """Used from the event loop only (the listener's callbacks run there too)."""

    def __init__(self, listener, ttl: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self._listener = listener
        self._ttl = ttl
        self._max_entries = max_entries
        self._entries: dict[str, tuple[float, Any]] = {}
        self._generation = 0
        listener.on_change(self._changed)

    def _changed(self, hint: dict | None) -> None:
        if hint is None or hint.get("entity_type") == "token":
            self._entries.clear()
            self._generation += 1

    def get(self, token_id: str) -> Any:
        """The value stored for `token_id`, or MISSING."""
        entry = self._entries.get(token_id)
        if entry is None or not self._listener.connected or time.monotonic() - entry[0] > self._ttl:
            return MISSING
        return entry[1]

    def reading(self) -> int | None:
        """Call before reading a token from the database; pass the answer to `put`."""
        return self._generation if self._listener.connected else None

    def put(self, token_id: str, value: Any, reading: int | None) -> None:
        """Keep `value` unless a token changed (or the listener blinked) since `reading`."""
        if reading is None or reading != self._generation or not self._listener.connected:
            return
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[token_id] = (time.monotonic(), value)
