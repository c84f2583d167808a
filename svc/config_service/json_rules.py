"""What PostgreSQL can store: no NUL, no lone surrogates, no NaN or Infinity."""

import math
import re

_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


def unstorable_text_reason(text: str) -> str | None:
    match = _UNSTORABLE_TEXT.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "text must not contain NUL (\\u0000)"
    return "text must not contain lone surrogates (\\ud800-\\udfff)"


def unstorable_json_reason(value: object) -> str | None:
    """Why `value` (parsed JSON) cannot be stored as JSONB, or None if it can."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            reason = unstorable_text_reason(item)
            if reason:
                return reason
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "numbers must be finite (no NaN, Infinity or overflow such as 1e400)"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None
