"""Applies svc/migrations/NNNN_description.sql in order, each once, recorded in `migrations`."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import psycopg2.errors

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Any fixed key works; all migrators of one database take the same one.
ADVISORY_LOCK_KEY = 7_303_911_001

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""
SELECT_APPLIED = "SELECT version, name, checksum FROM migrations ORDER BY version"
INSERT_APPLIED = """
INSERT INTO migrations (version, name, checksum) VALUES (%(version)s, %(name)s, %(checksum)s)
"""


class MigrationError(Exception):
    """The migrations cannot be applied."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in version order; a misnamed or duplicate version is an error."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: expected a name like 0001_description.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{path.name}: version {version} appears twice")
        found[version] = Migration(version, match.group(2), path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def pending(conn, migrations: list[Migration]) -> list[Migration]:
    """Those not yet applied; raises if an applied file has changed since."""
    with conn.cursor() as cur:
        cur.execute(SELECT_APPLIED)
        applied = {version: checksum for version, _name, checksum in cur.fetchall()}
    for migration in migrations:
        recorded = applied.get(migration.version)
        if recorded is not None and recorded != migration.checksum:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name} was changed after it was "
                "applied (checksum differs); add a new migration instead of editing it"
            )
    return [m for m in migrations if m.version not in applied]


def migrate(
    dsn: str, migrations: list[Migration] | None = None, connect_timeout: int = 10
) -> list[Migration]:
    """Apply every pending migration, each in its own transaction; returns those applied."""
    migrations = discover() if migrations is None else migrations
    try:
        conn = psycopg2.connect(dsn, connect_timeout=connect_timeout)
    except psycopg2.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise MigrationError(f"cannot reach the database: {first_line}") from exc
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            # Session-level lock: a second migrator waits, then finds nothing pending.
            cur.execute("SELECT pg_advisory_lock(%(key)s)", {"key": ADVISORY_LOCK_KEY})
            cur.execute(CREATE_TABLE)
        conn.autocommit = False
        applied = []
        for migration in pending(conn, migrations):
            try:
                with conn.cursor() as cur:
                    cur.execute(migration.sql)
                    cur.execute(INSERT_APPLIED, {**migration.__dict__, "checksum": migration.checksum})
                conn.commit()
            except psycopg2.Error as exc:
                conn.rollback()
                raise MigrationError(
                    f"migration {migration.version:04d}_{migration.name} failed: {_describe(exc)}"
                ) from exc
            applied.append(migration)
        return applied
    except psycopg2.Error as exc:
        raise MigrationError(f"cannot apply migrations: {_describe(exc)}") from exc
    finally:
        conn.close()


def _describe(exc: psycopg2.Error) -> str:
    """One line; a missing privilege points at the owner's connection."""
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, psycopg2.errors.InsufficientPrivilege):
        return (
            f"{first_line} (this role cannot change the schema: set MIGRATION_DATABASE_URL "
            "to a connection of the tables' owner)"
        )
    return first_line

