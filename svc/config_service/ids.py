"""ULID generation, strictly increasing within a process so ID order is creation order."""

import threading

from ulid import ULID

_lock = threading.Lock()
_last = 0


def new_id() -> str:
    global _last
    with _lock:
        value = int(ULID())
        # Two IDs in one millisecond differ only in their random part: bump instead.
        _last = value if value > _last else _last + 1
        return str(ULID.from_int(_last))
