"""`pipenv run migrate`: apply pending migrations and report."""

import sys
from collections.abc import Callable


from config_service.db import local_postgres
from config_service.db import migrations
from config_service.settings import settings_or_report


def run_migrations(database_url: str, connect_timeout: int = 10, report: Callable[[str], None] = print) -> bool:
    """Apply and report each (on stdout by default); False (with one line on stderr) when it cannot."""
    try:
        applied = migrations.migrate(database_url, connect_timeout=connect_timeout)
    except migrations.MigrationError as exc:
        print(f"migrate: {exc}", file=sys.stderr)
        return False
    for migration in applied:
        report(f"migrate: applied {migration.version:04d}_{migration.name}")
    if not applied:
        report("migrate: database is up to date, nothing to apply")
    return True


def main() -> int:
    settings = settings_or_report()
    if settings is None:
        return 2
    url = settings.migration_url or local_postgres.start(settings.local_postgres_dir).get_uri()
    return 0 if run_migrations(url, settings.db_connect_timeout) else 1


if __name__ == "__main__":
    sys.exit(main())
