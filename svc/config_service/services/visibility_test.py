import pytest

from config_service.errors import NotFound
from config_service.services.visibility import ensure_visible, visible
from test.sql_writes import insert_application, insert_configuration
from test.work import pool_for, unit_of_work

A, B, CA = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2", "01ARZ3NDEKTSV4RRFFQ69G5FA3"


def test_outside_the_scope_is_not_found_worded_as_missing(database_url, db):
    insert_application(db, A, "a")
    insert_configuration(db, CA, A, "c")
    with pool_for(database_url) as pool:
        with unit_of_work(pool) as uow:
            assert visible(uow, "configuration", CA, None) and visible(uow, "configuration", CA, frozenset({A}))
            assert not visible(uow, "configuration", CA, frozenset({B}))
            assert not visible(uow, "configuration", B, frozenset({A}))  # no such configuration
            ensure_visible(uow, "application", A, frozenset({A}))
            with pytest.raises(NotFound, match="^Application not found"):
                ensure_visible(uow, "application", A, frozenset({B}))
