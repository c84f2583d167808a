import os

from bench import watchers


def test_rss_of_this_process_is_read():
    assert watchers.rss_kib(os.getpid()) > 1000


def test_raw_requests_carry_the_authorization_header():
    assert watchers._head("/e", "Bearer t") == b"GET /e HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer t\r\n\r\n"
    assert watchers._head("/e", None) == b"GET /e HTTP/1.1\r\nHost: bench\r\n\r\n"


def test_table_shows_each_row_and_the_throughput_ratio():
    rows = [{"mode": "sse", "watchers": 1000, "p50_ms": 5.0, "p99_ms": 50.0, "missing": 0, "rss_per_watcher_kib": 12.5},
            {"mode": "long-poll", "watchers": 10, "p50_ms": 1.0, "p99_ms": 2.0, "missing": 1, "rss_per_watcher_kib": None}]
    text = watchers.table(rows, 2000, 1900, 1000)
    assert "| sse | 1,000 | 5.0 | 50.0 | 0 | 12.5 |" in text and "| long-poll | 10 | 1.0 | 2.0 | 1 | — |" in text
    assert "(95%)" in text
