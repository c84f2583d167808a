"""`pipenv run psql`: an interactive SQL shell on the configured (or local) database."""

import os
import shutil
import sys

from pydantic import ValidationError

from config_service import local_postgres
from config_service.settings import Settings, describe_error


def psql_command(database_url: str, psql_path: str) -> list[str]:
    return [psql_path, database_url]


def find_psql(server=None) -> str | None:
    """The local server's own psql (same major version) first, else one on PATH."""
    if server is not None:
        candidate = os.path.join(server.bin_path, "psql")
        if os.path.exists(candidate):
            return candidate
    return shutil.which("psql")


def main(argv: list[str]) -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 2
    server = None
    url = settings.database_url
    if url is None:
        server = local_postgres.start(settings.local_postgres_dir, cleanup_mode=None)
        url = server.get_uri()
    psql = find_psql(server)
    if psql is None:
        print("psql: no psql client found; install PostgreSQL's client tools", file=sys.stderr)
        return 1
    os.execv(psql, psql_command(url, psql) + argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
