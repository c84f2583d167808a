import re

from config_service.models import ULID_PATTERN


def test_ulid_pattern():
    assert re.match(ULID_PATTERN, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert re.match(ULID_PATTERN, "01arz3ndektsv4rrffq69g5fav")
    for bad in ("01ARZ3NDEKTSV4RRFFQ69G5FA", "81ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FAU", "x"):
        assert not re.match(ULID_PATTERN, bad)


def test_database_and_context_come_from_the_app_and_the_scope():
    from types import SimpleNamespace

    from config_service.api.dependencies import context, database
    from config_service.audit.events import CONTEXT_SCOPE_KEY

    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(database="db")), scope={CONTEXT_SCOPE_KEY: "ctx"})
    assert (database(request), context(request)) == ("db", "ctx")
