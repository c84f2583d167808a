"""The text of an API token: a fixed prefix (for secret scanners), the token's public id
(a ULID) and 256 random bits, all URL-safe. Only its SHA-256 is ever stored: the random
part is too long to guess, so no salt or slow hash is needed."""

import hashlib
import hmac
import re
import secrets

PREFIX = "cfgs_"
SECRET_BYTES = 32  # 256 bits, 43 URL-safe base64 characters
_TEXT = re.compile(r"cfgs_([0-7][0-9A-HJKMNP-TV-Z]{25})_([A-Za-z0-9_-]{43})")
LENGTH = len(PREFIX) + 26 + 1 + 43


def new_text(token_id: str) -> str:
    return f"{PREFIX}{token_id}_{secrets.token_urlsafe(SECRET_BYTES)}"


def token_id_of(text: str) -> str | None:
    """The id a token text names, or None when it is not shaped like one of ours."""
    match = _TEXT.fullmatch(text)
    return match.group(1) if match else None


def digest(text: str) -> str:
    """What the database stores: lowercase hex SHA-256 of the text."""
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def matches(text: str, stored_digest: str) -> bool:
    """Whether `text` is the token whose digest is stored, compared in constant time."""
    return hmac.compare_digest(digest(text), stored_digest)


def redact(text: str) -> str:
    """`text` with the secret part of every token in it replaced (for log lines)."""
    return _TEXT.sub(lambda match: f"{PREFIX}{match.group(1)}_[redacted]", text)
