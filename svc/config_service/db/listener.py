"""Wake-ups for the change feed: one LISTEN connection per worker process, outside the pool.

NOTIFY is only a hint (lost while nobody listens, payload small): a woken request always
reads the table. While the connection is down (a database restart), it is re-established
by itself, and every watcher is woken once it is back, since hints may have been missed.

The service's own writes are announced after their commit (db/announcer.py), so a hint
can also be lost on its way (a worker killed between a commit and its announcement).
The listener therefore reads the log's head every HEAD_CHECK_SECONDS: an event past
every hint that is still unannounced at the next check is taken for lost, and every
watcher is woken to read the table. (Once a later hint has passed it, a watcher that
missed it reads it when its wait ends: its cursor is then behind the head.)
"""

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator

import psycopg2

log = logging.getLogger(__name__)
LISTEN = "LISTEN config_events"  # the channel migration 0006 notifies
# The newest event in the feed's (txid, seq) order.
HEAD = "SELECT txid, seq FROM config_events ORDER BY txid DESC, seq DESC LIMIT 1"
ANNOUNCED_KEPT = 1024
HEAD_CHECK_SECONDS = 5.0


def _event_of(hint: dict | None) -> tuple[int, int] | None:
    """The (txid, seq) a hint announces, if it says."""
    if hint is not None and isinstance(hint.get("txid"), int) and isinstance(hint.get("seq"), int):
        return hint["txid"], hint["seq"]
    return None


class Watch:
    """Collects hints from its creation on; `wait` returns at once if one has matched since."""

    def __init__(self, matches: Callable[[dict], bool]) -> None:
        self.matches = matches
        self._event = asyncio.Event()
        self.woken_at = 0.0  # time.monotonic() of the latest matching hint
        self._announced: list[tuple[int, int]] = []  # (txid, seq) of matching hints

    def notify(self, hint: dict | None) -> None:
        if hint is None or self.matches(hint):
            event = _event_of(hint)
            if event is not None:
                self._announced.append(event)
                del self._announced[:-ANNOUNCED_KEPT]
            self.woken_at = time.monotonic()
            self._event.set()

    def announced_past(self, past: Callable[[int, int], bool]) -> bool:
        """Whether a matching event announced since the watch began is still past the
        reader's position (`past(txid, seq)`); those that are not are forgotten, since a
        position only moves on."""
        self._announced = [event for event in self._announced if past(*event)]
        return bool(self._announced)

    async def wait(self, timeout: float) -> float | None:
        """When woken (then re-armed): the time of the latest hint, so that a read started
        after it sees what the hint announced; None when `timeout` passed first."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return None
        self._event.clear()
        return self.woken_at


class ChangeListener:
    def __init__(self, dsn: str, connect_timeout: int, retry_seconds: float = 1.0,
                 head_check_seconds: float = HEAD_CHECK_SECONDS) -> None:
        self._dsn = dsn
        self._connect_timeout = connect_timeout
        self._retry_seconds = retry_seconds
        self._head_check_seconds = head_check_seconds
        self._watches: set[Watch] = set()
        self._callbacks: list[Callable[[dict | None], None]] = []
        self._task: asyncio.Task | None = None
        self.connected = False
        # The newest (txid, seq) announced while listening without a break, or read from
        # the table (None: unknown). Nothing lies past it but what a hint is on its way to
        # announce, or one lost on its way, until the next head check finds it.
        self.head: tuple[int, int] | None = None
        self.head_checks = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="change-listener")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @contextlib.contextmanager
    def watch(self, matches: Callable[[dict], bool]) -> Iterator[Watch]:
        watch = Watch(matches)
        self._watches.add(watch)
        try:
            yield watch
        finally:
            self._watches.discard(watch)

    def on_change(self, callback: Callable[[dict | None], None]) -> None:
        """Call `callback(hint)` for every hint, and with None whenever hints may have been
        missed (the connection was lost or re-established)."""
        self._callbacks.append(callback)

    def nothing_past(self, txid: int, seq: int) -> bool:
        """True when no event after (txid, seq) has committed but one whose hint is still on
        its way (so a request that then waits is woken by it): a read can be skipped."""
        return self.connected and self.head is not None and self.head <= (txid, seq)

    def _wake(self, hint: dict | None) -> None:
        for callback in self._callbacks:
            callback(hint)
        for watch in list(self._watches):
            watch.notify(hint)

    def _connect(self):
        conn = psycopg2.connect(self._dsn, connect_timeout=self._connect_timeout, application_name="config-service-listen")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(LISTEN)
            cur.execute(HEAD)  # after LISTEN: whatever commits later is announced
            head = cur.fetchone() or (0, 0)
        return conn, head

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                conn, head = await asyncio.to_thread(self._connect)
            except psycopg2.Error as exc:
                log.warning("change feed: cannot listen (%s); retrying", str(exc).strip().splitlines()[0])
                await asyncio.sleep(self._retry_seconds)
                continue
            readable = asyncio.Event()
            # The loop watches a duplicate of the socket: when the server goes away, libpq
            # closes its own descriptor inside poll(), and a number the loop still watched
            # could be reused by any new socket before the reader is removed.
            watched = os.dup(conn.fileno())
            loop.add_reader(watched, readable.set)
            self.connected, self.head = True, head
            self._wake(None)  # hints may have been missed while not listening
            try:
                await self._relay(conn, readable)
            except psycopg2.Error as exc:
                log.warning("change feed: listening connection lost (%s)", str(exc).strip().splitlines()[0])
            finally:
                self.connected, self.head = False, None
                loop.remove_reader(watched)
                os.close(watched)
                conn.close()
            self._wake(None)  # let watchers find out for themselves
            await asyncio.sleep(self._retry_seconds)

    async def _relay(self, conn, readable: asyncio.Event) -> None:
        unannounced = None  # the table's head at the last check, when past every hint
        next_check = time.monotonic() + self._head_check_seconds
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(readable.wait(), max(next_check - time.monotonic(), 0))
            if time.monotonic() >= next_check:
                # Notifications that come during the check's query wait in conn.notifies.
                unannounced = await self._check_head(conn, unannounced)
                next_check = time.monotonic() + self._head_check_seconds
            readable.clear()
            conn.poll()  # raises when the server has gone away
            notifies = list(conn.notifies)
            conn.notifies.clear()
            for notify in notifies:
                try:
                    hint = json.loads(notify.payload)
                except ValueError:
                    hint = None
                if not isinstance(hint, dict):
                    hint = None  # not ours: wake everyone, they read the table
                elif (event := _event_of(hint)) is not None:
                    self.head = max(self.head, event)
                self._wake(hint)

    async def _check_head(self, conn, unannounced: tuple[int, int] | None) -> tuple[int, int] | None:
        """Read the log's head; an event past every hint that was there at the previous
        check too lost its hint: wake every watcher (they read the table). Returns the
        head while it is past every hint."""
        table_head = await asyncio.to_thread(_read_head, conn)
        self.head_checks += 1
        if table_head <= self.head:
            return None
        if unannounced is not None and unannounced > self.head:
            log.warning("change feed: an event was committed without its announcement; waking every reader")
            self.head = table_head
            self._wake(None)
            return None
        return table_head


def _read_head(conn) -> tuple[int, int]:
    with conn.cursor() as cur:
        cur.execute(HEAD)
        return cur.fetchone() or (0, 0)
