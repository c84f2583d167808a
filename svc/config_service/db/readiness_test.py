import asyncio

import pytest

from config_service.db.readiness import ReadinessProbe
from config_service.errors import DatabaseUnavailable


def test_reads_applied_versions_on_its_own_connection(database_url):
    probe = ReadinessProbe(database_url, connect_timeout=2, statement_timeout_ms=1000)
    try:
        first = asyncio.run(probe.applied_versions())
        assert 1 in first and asyncio.run(probe.applied_versions()) == first  # the connection is reused
    finally:
        probe.close()


def test_an_unreachable_database_is_unavailable_and_retried(database_url):
    probe = ReadinessProbe(database_url.replace("/test_", "/missing_"), connect_timeout=1, statement_timeout_ms=1000)
    try:
        for _ in range(2):
            with pytest.raises(DatabaseUnavailable):
                asyncio.run(probe.applied_versions())
    finally:
        probe.close()
