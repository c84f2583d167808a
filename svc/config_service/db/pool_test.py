import threading
import time

import pytest

from config_service.errors import DatabaseBusy, DatabaseUnavailable
from config_service.db.pool import ConnectionPool


def backend_pid(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def test_connections_are_autocommit_and_reused(database_url):
    pool = ConnectionPool(database_url, 2, 2)
    try:
        conn = pool.acquire(time.monotonic() + 1)
        assert conn.autocommit
        pid = backend_pid(conn)
        pool.release(conn)
        again = pool.acquire(time.monotonic() + 1)
        assert backend_pid(again) == pid
        pool.release(again)
    finally:
        pool.close()


def test_exhausted_pool_waits_then_raises_busy(database_url):
    pool = ConnectionPool(database_url, 1, 1)
    try:
        held = pool.acquire(time.monotonic() + 1)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy):
            pool.acquire(time.monotonic() + 0.3)
        assert time.monotonic() - started >= 0.3
        pool.release(held)
        pool.release(pool.acquire(time.monotonic() + 1))
    finally:
        pool.close()


def test_a_waiter_gets_the_connection_another_thread_returns(database_url):
    pool = ConnectionPool(database_url, 1, 1)
    try:
        held = pool.acquire(time.monotonic() + 1)
        got = []
        waiter = threading.Thread(target=lambda: got.append(pool.acquire(time.monotonic() + 10)))
        waiter.start()
        pool.release(held)
        waiter.join(10)
        assert got and not got[0].closed
        pool.release(got[0])
    finally:
        pool.close()


def test_broken_connection_is_closed_not_pooled(database_url, db):
    pool = ConnectionPool(database_url, 2, 2)
    try:
        first = pool.acquire(time.monotonic() + 1)
        second = pool.acquire(time.monotonic() + 1)
        pool.release(second)  # idle in the pool
        with db.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (backend_pid(first),))
        pool.release(first, broken=True)
        assert first.closed
        assert second.closed, "idle connections are dropped too: a restart kills them all"
        fresh = pool.acquire(time.monotonic() + 1)
        assert backend_pid(fresh) > 0
        pool.release(fresh)
    finally:
        pool.close()


def test_connection_left_in_a_transaction_is_not_reused(database_url):
    pool = ConnectionPool(database_url, 1, 1)
    try:
        conn = pool.acquire(time.monotonic() + 1)
        conn.cursor().execute("BEGIN")
        pool.release(conn)
        assert conn.closed
    finally:
        pool.close()


def test_unreachable_database_is_unavailable(tmp_path):
    with pytest.raises(DatabaseUnavailable):
        ConnectionPool(f"postgresql://postgres@/postgres?host={tmp_path}", 1, 1)


def test_release_after_close_just_closes(database_url):
    pool = ConnectionPool(database_url, 1, 1)
    conn = pool.acquire(time.monotonic() + 1)
    pool.close()
    pool.release(conn)
    assert conn.closed
