"""Readiness: every migration file is applied."""

from functools import lru_cache

from config_service.db import migrations


@lru_cache(maxsize=1)
def expected_versions() -> frozenset[int]:
    return frozenset(m.version for m in migrations.discover())


def missing_migrations(applied: set[int]) -> list[int]:
    """Versions of migration files the database has not applied yet."""
    return sorted(expected_versions() - applied)
