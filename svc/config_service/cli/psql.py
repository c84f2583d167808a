"""`pipenv run psql [--auditor] [psql arguments]`: a SQL shell on the configured (or local) database.

`--auditor` opens a read-only session as config_service_auditor: with the local PostgreSQL
by logging in as that role; with DATABASE_URL set, as the owner's login
(MIGRATION_DATABASE_URL, else DATABASE_URL) switched to that role, which it must be
allowed to SET (`GRANT config_service_auditor TO that_login`).
"""

import os
import shutil
import sys


from config_service.db import local_postgres, roles
from config_service.settings import settings_or_report


def psql_command(database_url: str, psql_path: str) -> list[str]:
    return [psql_path, database_url]


def find_psql() -> str | None:
    """pgserver's PostgreSQL 16 psql when installed (dev), else one on PATH."""
    try:
        candidate = local_postgres.tool("psql")
    except ImportError:
        candidate = None
    if candidate is not None and candidate.exists():
        return str(candidate)
    return shutil.which("psql")


def main(argv: list[str]) -> int:
    settings = settings_or_report()
    if settings is None:
        return 2
    auditor = argv[:1] == ["--auditor"]
    argv = argv[1:] if auditor else argv
    url = settings.migration_url if auditor else settings.database_url
    if url is None:
        url = local_postgres.start(settings.local_postgres_dir, cleanup_mode=None).get_uri()
        if auditor:
            url = local_postgres.with_user(url, roles.AUDITOR_ROLE)
    if auditor:
        os.environ["PGOPTIONS"] = f"-c role={roles.AUDITOR_ROLE} -c default_transaction_read_only=on"
    psql = find_psql()
    if psql is None:
        print("psql: no psql client found; install PostgreSQL's client tools", file=sys.stderr)
        return 1
    os.execv(psql, psql_command(url, psql) + argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
