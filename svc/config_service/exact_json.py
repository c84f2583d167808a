"""JSON with numbers kept exactly: parsed without float, written back digit for digit.

Integers stay `int` (up to 4,000 digits; longer ones, which Python will not convert,
become Decimal); every number with a fraction or an exponent becomes a Decimal.
"""

import json
from decimal import Decimal
from json.encoder import encode_basestring

MAX_INT_DIGITS = 4_000


def _parse_int(text: str) -> int | Decimal:
    return int(text) if len(text) <= MAX_INT_DIGITS else Decimal(text)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def loads(text: str | bytes):
    """Parse JSON text; NaN and Infinity are refused (ValueError)."""
    try:
        # Integers through the C parser: a Python hook per integer costs more than the rest.
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise
    return json.loads(text, parse_float=Decimal, parse_int=_parse_int, parse_constant=_refuse_constant)


def dumps(value) -> str:
    """JSON text with non-ASCII kept, Decimals written exactly as they are, and spaced as
    PostgreSQL's jsonb prints (`{"a": 1, "b": [1, 2]}`), like every body of the API."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except TypeError:  # a Decimal somewhere: the slower exact writer
        parts: list[str] = []
        _write(value, parts.append)
        return "".join(parts)


def _write(value, out) -> None:
    if isinstance(value, str):
        out(encode_basestring(value))
    elif value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("NaN and Infinity cannot be written as JSON")
        out(format(value, "f"))  # positional, as PostgreSQL writes numeric: 1E+3 -> 1000
    elif isinstance(value, (int, float)):
        out(json.dumps(value, allow_nan=False))
    elif isinstance(value, dict):
        out("{")
        for index, (key, item) in enumerate(value.items()):
            out((", " if index else "") + encode_basestring(key) + ": ")
            _write(item, out)
        out("}")
    elif isinstance(value, (list, tuple)):
        out("[")
        for index, item in enumerate(value):
            if index:
                out(", ")
            _write(item, out)
        out("]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON")


def _number_text(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else json.dumps(value)


def same(a, b) -> bool:
    """Equal as JSON text would show them: by type and spelling (1, 1.0 and true all differ)."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return _number_text(a) == _number_text(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b
