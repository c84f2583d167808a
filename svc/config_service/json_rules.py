"""What PostgreSQL can store: no NUL, no lone surrogates, no NaN or Infinity, numbers
that fit JSONB's `numeric`, and JSON nested at most MAX_DEPTH levels."""

import math
import re
from decimal import Decimal

_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
MAX_DEPTH = 200
# PostgreSQL's numeric: up to 131,072 digits before the decimal point and 16,383 after.
MAX_INTEGER_DIGITS = 131_072
MAX_FRACTION_DIGITS = 16_383


def unstorable_text_reason(text: str) -> str | None:
    match = _UNSTORABLE_TEXT.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "text must not contain NUL (\\u0000)"
    return "text must not contain lone surrogates (\\ud800-\\udfff)"


def _unstorable_number_reason(number: Decimal | float) -> str | None:
    if isinstance(number, float):
        return None if math.isfinite(number) else "numbers must be finite (no NaN or Infinity)"
    if not number.is_finite():
        return "numbers must be finite (no NaN or Infinity)"
    _, digits, exponent = number.as_tuple()
    if len(digits) + exponent > MAX_INTEGER_DIGITS or -exponent > MAX_FRACTION_DIGITS:
        return (
            f"numbers may have at most {MAX_INTEGER_DIGITS} digits before the decimal point "
            f"and {MAX_FRACTION_DIGITS} after it"
        )
    return None


def unstorable_json_reason(value: object) -> str | None:
    """Why `value` (parsed JSON) cannot be stored as JSONB, or None if it can."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            reason = unstorable_text_reason(item)
        elif isinstance(item, (float, Decimal)):
            reason = _unstorable_number_reason(item)
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                return f"JSON must not be nested more than {MAX_DEPTH} levels deep"
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                item = item.values()
            stack.extend((child, depth + 1) for child in item)
            reason = None
        else:
            reason = None
        if reason:
            return reason
    return None
