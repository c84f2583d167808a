"""One database read for many waiting requests that ask the same question.

When a commit wakes a thousand watchers of the same feed position, they would send a
thousand identical queries. Instead the first starts the read and the others await its
answer. A request only joins a read that started after it decided to read (after it
was woken), so a read whose snapshot could predate the commit that woke it is never
reused for it.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class SharedReads:
    def __init__(self) -> None:
        self._reads: dict[Hashable, tuple[float, asyncio.Future]] = {}

    async def read(self, key: Hashable, since: float, start: Callable[[], Awaitable[T]]) -> T:
        """The answer of a read for `key` started at or after `since` (time.monotonic)."""
        current = self._reads.get(key)
        if current is not None and current[0] >= since:
            return await asyncio.shield(current[1])
        entry = (time.monotonic(), asyncio.ensure_future(start()))
        self._reads[key] = entry
        entry[1].add_done_callback(lambda read: self._forget(key, entry))
        # Shielded: a client that goes away does not cancel the read for the others.
        return await asyncio.shield(entry[1])

    def _forget(self, key: Hashable, entry: tuple[float, asyncio.Future]) -> None:
        if self._reads.get(key) is entry:
            del self._reads[key]
        if not entry[1].cancelled():
            entry[1].exception()  # retrieved, even when every sharer has gone away
