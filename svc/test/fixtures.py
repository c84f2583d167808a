"""Fixtures: one throwaway PostgreSQL 16 per run, a clean migrated database per test."""

import itertools
import os

import psycopg2
import pytest
from fastapi.testclient import TestClient
from psycopg2.extras import RealDictCursor

from config_service.db import local_postgres, migrations, roles
from config_service.db.pool import ExactJsonConnection
from config_service.main import create_app
from config_service.settings import Settings
from test.tokens import bearer, issue

TEMPLATE = "config_service_template"
_names = itertools.count()


admin_execute = local_postgres.execute


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """The pgserver handle, or None when TEST_DATABASE_URL names a server."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield None
        return
    server = local_postgres.start(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    # A throwaway server: durability buys nothing here, speed does.
    admin_execute(server.get_uri(), "ALTER SYSTEM SET fsync = off")
    admin_execute(server.get_uri(), "ALTER SYSTEM SET synchronous_commit = off")
    admin_execute(server.get_uri(), "ALTER SYSTEM SET full_page_writes = off")
    admin_execute(server.get_uri(), "SELECT pg_reload_conf()")
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def admin_url(postgres_server) -> str:
    return os.environ.get("TEST_DATABASE_URL") or postgres_server.get_uri()


@pytest.fixture(scope="session")
def template_url(admin_url) -> str:
    admin_execute(admin_url, f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    admin_execute(admin_url, f"CREATE DATABASE {TEMPLATE}")
    url = local_postgres.with_database(admin_url, TEMPLATE)
    migrations.migrate(url)
    roles.enable_local_logins(url)
    return url


def new_database(admin_url: str, template: str = "template1") -> str:
    name = f"test_{os.getpid()}_{next(_names)}"
    admin_execute(admin_url, f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


@pytest.fixture
def empty_database_url(admin_url):
    """A database with no tables at all (for migration tests)."""
    name = new_database(admin_url)
    yield local_postgres.with_database(admin_url, name)
    admin_execute(admin_url, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def database_url(admin_url, template_url):
    """A fresh, fully migrated database of its own for this test."""
    name = new_database(admin_url, TEMPLATE)
    yield local_postgres.with_database(admin_url, name)
    admin_execute(admin_url, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def db(database_url):
    """A direct autocommit connection for arranging and inspecting rows with SQL."""
    conn = psycopg2.connect(database_url, cursor_factory=RealDictCursor, connection_factory=ExactJsonConnection)
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture
def listening(database_url):
    """A connection listening to the change feed's channel (config_events)."""
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    conn.cursor().execute("LISTEN config_events")
    yield conn
    conn.close()


@pytest.fixture
def service_database_url(database_url, postgres_server) -> str:
    """The test database as the service sees it: as the least-privileged app role
    (unless TEST_DATABASE_URL names a server, whose logins the suite does not know)."""
    if postgres_server is None:
        return database_url
    return local_postgres.with_user(database_url, roles.APP_ROLE)


@pytest.fixture
def settings(database_url, service_database_url) -> Settings:
    return Settings(
        _env_file=None,
        database_url=service_database_url,
        migration_database_url=database_url,
        db_threads=4,
        db_pool_timeout=2,
        db_statement_timeout_ms=3000,
    )


@pytest.fixture
def client_token(database_url) -> dict:
    """The token of `client`: an unscoped writer that may name actors (X-Actor)."""
    return issue(database_url, "writer", name="test-client", acts_for_others=True)


@pytest.fixture
def client(settings, client_token):
    """The app in-process, every request carrying `client_token`."""
    with TestClient(create_app(settings), headers=bearer(client_token["token"])) as test_client:
        yield test_client


@pytest.fixture
def as_role(database_url, client):
    """as_role(role, **fields): headers with a new token of that role (same app as `client`)."""
    def headers(role: str, **fields) -> dict:
        return bearer(issue(database_url, role, **fields)["token"])

    return headers


class ControlledPostgres:
    """A PostgreSQL 16 of the test's own, which the test may stop and start."""

    def __init__(self, data_dir) -> None:
        self.server = local_postgres.start(data_dir, cleanup_mode="delete")
        admin_execute(self.server.get_uri(), "CREATE DATABASE service")
        self.url = local_postgres.with_database(self.server.get_uri(), "service")
        migrations.migrate(self.url)

    def stop(self, mode: str) -> None:
        local_postgres.stop(self.server, mode)

    def start(self) -> None:
        self.server.ensure_postgres_running()


@pytest.fixture
def controlled_postgres(tmp_path):
    postgres = ControlledPostgres(tmp_path / "pg")
    yield postgres
    postgres.server.cleanup()
