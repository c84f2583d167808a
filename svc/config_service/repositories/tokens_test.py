import psycopg2
import pytest

from config_service.repositories import tokens
from config_service.repositories.tokens import TokensRepository


def test_the_database_keeps_a_tokens_lifetime_within_366_days(db):
    params = {"id": "01ARZ3NDEKTSV4RRFFQ69G5FA1", "name": "n", "role": "reader", "application_ids": None,
              "acts_for_others": False, "expires_at": "2099-01-01T00:00:00Z", "secret_hash": "0" * 64,
              "event_id": "01ARZ3NDEKTSV4RRFFQ69G5FA2", "actor": None, "request_id": "r", "token_id": None}
    with db.cursor() as cur, pytest.raises(psycopg2.errors.CheckViolation, match="tokens_lifetime"):
        TokensRepository(cur).create(params)


def test_the_statements_append_their_events_and_name_every_field():
    assert "INSERT INTO config_events" in tokens.CREATE and tokens.ROTATE.count("INSERT INTO config_events") == 2
    assert tokens.FIELDS[-1] == "revoked_at" and "secret_hash" not in tokens.SELECT.split("FROM")[0]
