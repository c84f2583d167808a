import re

from config_service.api.dependencies import ULID_PATTERN


def test_ulid_pattern():
    assert re.match(ULID_PATTERN, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert re.match(ULID_PATTERN, "01arz3ndektsv4rrffq69g5fav")
    for bad in ("01ARZ3NDEKTSV4RRFFQ69G5FA", "81ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FAU", "x"):
        assert not re.match(ULID_PATTERN, bad)
