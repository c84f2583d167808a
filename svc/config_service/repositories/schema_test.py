from config_service.db import migrations
from test.work import pool_for, unit_of_work


def test_applied_versions_before_and_after_migrating(empty_database_url):
    with pool_for(empty_database_url, 1) as pool:
        with unit_of_work(pool) as uow:
            assert uow.schema.applied_versions() == set()
        migrations.migrate(empty_database_url)
        with unit_of_work(pool) as uow:
            assert uow.schema.applied_versions() == {m.version for m in migrations.discover()}
