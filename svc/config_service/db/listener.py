"""Wake-ups for the change feed: one LISTEN connection per worker process, outside the pool.

NOTIFY is only a hint (lost while nobody listens, payload small): a woken request always
reads the table. While the connection is down (a database restart), it is re-established
by itself, and every watcher is woken once it is back, since hints may have been missed.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Iterator

import psycopg2

log = logging.getLogger(__name__)
LISTEN = "LISTEN config_events"  # the channel migration 0006 notifies


class Watch:
    """Collects hints from its creation on; `wait` returns at once if one has matched since."""

    def __init__(self, matches: Callable[[dict], bool]) -> None:
        self.matches = matches
        self._event = asyncio.Event()

    def notify(self, hint: dict | None) -> None:
        if hint is None or self.matches(hint):
            self._event.set()

    async def wait(self, timeout: float) -> bool:
        """True when woken (then re-armed), False when `timeout` passed first."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True


class ChangeListener:
    def __init__(self, dsn: str, connect_timeout: int, retry_seconds: float = 1.0) -> None:
        self._dsn = dsn
        self._connect_timeout = connect_timeout
        self._retry_seconds = retry_seconds
        self._watches: set[Watch] = set()
        self._task: asyncio.Task | None = None
        self.connected = False

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

    def _wake(self, hint: dict | None) -> None:
        for watch in list(self._watches):
            watch.notify(hint)

    def _connect(self):
        conn = psycopg2.connect(self._dsn, connect_timeout=self._connect_timeout, application_name="config-service-listen")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(LISTEN)
        return conn

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                conn = await asyncio.to_thread(self._connect)
            except psycopg2.Error as exc:
                log.warning("change feed: cannot listen (%s); retrying", str(exc).strip().splitlines()[0])
                await asyncio.sleep(self._retry_seconds)
                continue
            readable = asyncio.Event()
            loop.add_reader(conn.fileno(), readable.set)
            self.connected = True
            self._wake(None)  # hints may have been missed while not listening
            try:
                await self._relay(conn, readable)
            except psycopg2.Error as exc:
                log.warning("change feed: listening connection lost (%s)", str(exc).strip().splitlines()[0])
            finally:
                self.connected = False
                loop.remove_reader(conn.fileno())
                conn.close()
            self._wake(None)  # let watchers find out for themselves
            await asyncio.sleep(self._retry_seconds)

    async def _relay(self, conn, readable: asyncio.Event) -> None:
        while True:
            await readable.wait()
            readable.clear()
            conn.poll()  # raises when the server has gone away
            notifies = list(conn.notifies)
            conn.notifies.clear()
            for notify in notifies:
                try:
                    hint = json.loads(notify.payload)
                except ValueError:
                    hint = None
                self._wake(hint)
