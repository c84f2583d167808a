from datetime import datetime, timedelta, timezone

import pytest
from fastapi.exceptions import RequestValidationError

from config_service.api.instants import parse_instant


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-27T15:01:43.123456Z", datetime(2026, 11, 27, 15, 1, 43, 123456, timezone.utc)),
        ("2026-11-27t15:01:43z", datetime(2026, 11, 27, 15, 1, 43, tzinfo=timezone.utc)),
        ("2026-11-27T16:01:43.1234569+01:00", datetime(2026, 11, 27, 15, 1, 43, 123456, timezone.utc)),
        ("2026-11-27T10:01:43.5 05:00", datetime(2026, 11, 27, 5, 1, 43, 500000, timezone.utc)),
        ("2026-11-27T10:01:43-05:00", datetime(2026, 11, 27, 15, 1, 43, tzinfo=timezone.utc)),
    ],
)
def test_instants_with_offsets(text, expected):
    parsed = parse_instant(text)
    assert parsed == expected and parsed.utcoffset() is not None


@pytest.mark.parametrize(
    "text", ["2026-11-27T15:01:43", "2026-11-27", "2026-13-01T00:00:00Z", "yesterday", "2026-11-27T15:01:43+1",
             "2026-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "\u0662026-11-27T15:01:43Z"]
)
def test_no_offset_or_not_a_time_is_422(text):
    with pytest.raises(RequestValidationError) as caught:
        parse_instant(text)
    assert caught.value.errors()[0]["loc"] == ["query", "as_of"]


def test_offset_is_kept():
    assert parse_instant("2026-01-01T00:00:00+05:30").utcoffset() == timedelta(hours=5, minutes=30)


def test_the_openapi_pattern_is_the_rule_parse_instant_applies():
    import re

    from config_service.api.instants import INSTANT_SCHEMA

    pattern = re.compile(INSTANT_SCHEMA["pattern"])
    assert pattern.match("2026-11-27T10:01:43.5 05:00") and pattern.match("2026-11-27t15:01:43z")
    assert not pattern.match("2026-11-27T15:01:43") and not pattern.match("2026-12-31T23:59:60Z")
