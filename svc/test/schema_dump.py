"""The schema as the migrations leave it, as pg_dump prints it, normalised: svc/docs/schema.sql.

Regenerate it (from svc/, after adding a migration) with

    pipenv run python -m test.schema_dump > docs/schema.sql

which migrates an empty database on a throwaway PostgreSQL 16 and prints its dump;
test/schema_dump_test.py fails while the file is not what the migrations produce.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from config_service.db import local_postgres, migrations

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "schema.sql"
REGENERATE = "pipenv run python -m test.schema_dump > docs/schema.sql"

HEADER = f"""\
-- The schema of the Config Service as it stands after every migration in svc/migrations/,
-- as `pg_dump --schema-only --no-owner` prints it. For reading: a database is built by the
-- migrations (`pipenv run migrate`), never from this file.
--
-- Generated; do not edit. After adding a migration, regenerate it from svc/ with
--     {REGENERATE}
-- (test/schema_dump_test.py fails while it differs from what the migrations produce).
--
-- Normalised so that it is the same on every machine and run: pg_dump's version header,
-- its \\restrict line (a random key), its SET and set_config lines, and runs of blank lines
-- are left out. Owners are left out (--no-owner: the owner is whichever role ran the
-- migrations). GRANTs are kept: they name only the two fixed roles of migration 0005
-- (config_service_app, config_service_auditor), print the same every time, and document
-- the least privilege the service runs with.
"""

# Lines of pg_dump's output that say how it was dumped rather than what the schema is.
_NOISE = re.compile(
    r"^(SET \w+ = .*;"
    r"|SELECT pg_catalog\.set_config\(.*\);"
    r"|\\(un)?restrict \S+"
    r"|-- Dumped (from database|by pg_dump) version .*"
    r"|-- PostgreSQL database dump( complete)?)$"
)


def normalise(raw: str) -> str:
    lines = [line.rstrip() for line in raw.splitlines() if not _NOISE.match(line)]
    text = "\n".join(lines)
    text = re.sub(r"^--\n--\n", "", text, flags=re.M)  # the emptied header and trailer boxes
    text = re.sub(r"\n{3,}", "\n\n", text)  # blank-line runs become one blank line
    return text.strip("\n") + "\n"


def dump(database_url: str) -> str:
    """The normalised schema of the database at `database_url`, header included."""
    pg_dump = local_postgres.tool("pg_dump")
    result = subprocess.run(
        [str(pg_dump), "--schema-only", "--no-owner", "--dbname", database_url],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")
    return HEADER + "\n" + normalise(result.stdout)


def main() -> int:
    work_dir = Path(tempfile.mkdtemp(prefix="config-schema-"))
    server = local_postgres.start(work_dir / "pg", cleanup_mode="delete")
    try:
        local_postgres.execute(server.get_uri(), "CREATE DATABASE schema_dump")
        url = local_postgres.with_database(server.get_uri(), "schema_dump")
        migrations.migrate(url)
        sys.stdout.write(dump(url))
        return 0
    finally:
        server.cleanup()
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
