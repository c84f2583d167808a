"""Readiness: the database answers and every migration file is applied."""

from functools import lru_cache

from config_service.db import migrations
from config_service.db.unit_of_work import UnitOfWork


@lru_cache(maxsize=1)
def expected_versions() -> frozenset[int]:
    return frozenset(m.version for m in migrations.discover())


def missing_migrations(uow: UnitOfWork) -> list[int]:
    """Versions of migration files the database has not applied yet."""
    with uow:
        applied = uow.schema.applied_versions()
    return sorted(expected_versions() - applied)
