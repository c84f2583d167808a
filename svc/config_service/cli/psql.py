"""`pipenv run psql`: an interactive SQL shell on the configured (or local) database."""

import os
import shutil
import sys

from pydantic import ValidationError

from config_service.db import local_postgres
from config_service.settings import Settings, describe_error


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
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 2
    url = settings.database_url
    if url is None:
        url = local_postgres.start(settings.local_postgres_dir, cleanup_mode=None).get_uri()
    psql = find_psql()
    if psql is None:
        print("psql: no psql client found; install PostgreSQL's client tools", file=sys.stderr)
        return 1
    os.execv(psql, psql_command(url, psql) + argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
