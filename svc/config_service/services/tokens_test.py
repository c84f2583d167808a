import pytest

from config_service.errors import Conflict, InvalidValue, NotFound
from config_service.models import TokenIn
from config_service.services import tokens
from test.tokens import SETUP, remember
from test.work import pool_for, unit_of_work

MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def test_create_rotate_revoke_and_the_credentials_that_authenticate(database_url):
    with pool_for(database_url) as pool:
        assert not tokens.any_exists(unit_of_work(pool))
        created = tokens.create(unit_of_work(pool), TokenIn(name="a", role="writer"), SETUP)
        remember(created["token"])
        assert tokens.any_exists(unit_of_work(pool))
        row = tokens.credentials(unit_of_work(pool), created["id"])
        assert row["secret_hash"] != created["token"] and len(row["secret_hash"]) == 64
        assert row["revoked_at"] is None and row["expires_at"] > 0 and row["last_used_at"] is None
        tokens.touch(unit_of_work(pool), created["id"])
        assert tokens.credentials(unit_of_work(pool), created["id"])["last_used_at"] is not None
        successor = tokens.rotate(unit_of_work(pool), created["id"], 0, SETUP)
        remember(successor["token"])
        assert tokens.get(unit_of_work(pool), created["id"])["revoked_at"] is not None
        with pytest.raises(Conflict):
            tokens.rotate(unit_of_work(pool), created["id"], 0, SETUP)
        assert [t["id"] for t in tokens.list_all(unit_of_work(pool))] == [created["id"], successor["id"]]
        with pytest.raises(NotFound):
            tokens.get(unit_of_work(pool), MISSING)
        with pytest.raises(NotFound):
            tokens.rotate(unit_of_work(pool), MISSING, 0, SETUP)
        assert tokens.credentials(unit_of_work(pool), MISSING) is None


def test_expiry_is_in_the_future_and_within_366_days(database_url):
    with pool_for(database_url) as pool:
        for expires_at in ("2020-01-01T00:00:00Z", "2099-01-01T00:00:00+02:00"):
            with pytest.raises(InvalidValue):
                tokens.create(unit_of_work(pool), TokenIn(name="a", role="reader", expires_at=expires_at), SETUP)
