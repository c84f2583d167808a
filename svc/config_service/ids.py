"""ULID generation, strictly increasing within a process so ID order is creation order."""

import base64
import random
import threading
import time

# base32 of 20 bytes is 32 characters; a ULID is the last 26 (130 bits, the top 2 zero).
_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_lock = threading.Lock()
_last = 0


def encode(value: int) -> str:
    """A 128-bit integer as a 26-character Crockford base32 ULID."""
    return base64.b32encode(value.to_bytes(20)).translate(_CROCKFORD)[-26:].decode("ascii")


def new_id() -> str:
    global _last
    # The random part only has to be unique, not secret; python-ulid's ULID() costs 1.5x more.
    value = (time.time_ns() // 1_000_000) << 80 | random.getrandbits(80)
    with _lock:
        # Two IDs in one millisecond differ only in their random part: bump instead.
        _last = value if value > _last else _last + 1
        return encode(_last)
