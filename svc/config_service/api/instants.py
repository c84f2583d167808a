"""RFC 3339 instants in query strings (`as_of`), with their offset required."""

import re
from datetime import datetime

from fastapi.exceptions import RequestValidationError

# A `+` sent unencoded in a query string arrives as a space: accepted as the offset's sign.
# ASCII digits only, no year 0000 and no leap second (Python's datetime has neither).
_RFC3339 = re.compile(
    r"(?!0000)([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}:[0-5][0-9])"
    r"(?:\.([0-9]{1,9}))?([Zz]|[+\- ][0-9]{2}:[0-9]{2})"
)
# The same rule in the OpenAPI description (with `format: date-time` for the calendar).
INSTANT_SCHEMA = {"type": "string", "format": "date-time", "pattern": f"^{_RFC3339.pattern}$"}
MESSAGE = "must be an RFC 3339 time with an offset, such as 2026-11-27T15:01:43.123456Z or ...+01:00"


def parse_instant(text: str, name: str = "as_of") -> datetime:
    """The instant (microseconds; finer digits are cut); 422 without an offset or when invalid."""
    match = _RFC3339.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        date, time, fraction, offset = match.groups()
        offset = "+00:00" if offset in ("Z", "z") else offset.replace(" ", "+")
        return datetime.fromisoformat(f"{date}T{time}.{(fraction or '').ljust(6, '0')[:6]}{offset}")
    except ValueError:
        raise RequestValidationError([{"type": "datetime_format", "loc": ["query", name], "msg": MESSAGE}]) from None
