"""Tokens for tests, made as the `token` command makes them (owner connection, services).
Every text made here is remembered, so that a test can prove none leaked."""

import time

from config_service.audit.events import RequestContext
from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork
from config_service.models import TokenIn
from config_service.services import tokens

SETUP = RequestContext(request_id="test-setup", actor="cli:test")
ISSUED: list[str] = []  # every token text the suite created


def remember(text: str) -> str:
    ISSUED.append(text)
    return text


def issue(database_url: str, role: str = "writer", name: str | None = None, **fields) -> dict:
    """A new token's fields and text (`token`), written with its event."""
    pool = ConnectionPool(database_url, 1, 1)
    try:
        data = TokenIn(name=name or f"test-{role}", role=role, **fields)
        created = tokens.create(UnitOfWork(pool, time.monotonic() + 5), data, SETUP)
    finally:
        pool.close()
    remember(created["token"])
    return created


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}
