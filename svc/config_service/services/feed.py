"""The change feed: every committed event exactly once, in commit order, from a cursor."""

import hashlib
import re
from dataclasses import dataclass

from config_service.db.unit_of_work import UnitOfWork

_CURSOR = re.compile(r"([0-9]{1,18})\.([0-9a-f]{8})")


def _check(seq: int) -> str:
    return hashlib.sha256(b"config-service-feed:%d" % seq).hexdigest()[:8]


def encode_cursor(seq: int) -> str:
    """An opaque cursor: the position after the event with this seq (0: the beginning)."""
    return f"{seq}.{_check(seq)}"


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; ValueError for one the service did not issue."""
    match = _CURSOR.fullmatch(cursor)
    if match is None or match.group(2) != _check(int(match.group(1))):
        raise ValueError("not a cursor issued by this service")
    return int(match.group(1))


@dataclass(frozen=True)
class Filters:
    application_id: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None

    def as_params(self) -> dict:
        return self.__dict__.copy()

    def matches(self, hint: dict) -> bool:
        """Whether a NOTIFY hint (the event's filter fields) could be for this feed."""
        return all(value is None or hint.get(name) == value for name, value in self.__dict__.items())


@dataclass(frozen=True)
class Page:
    items: list[str]  # event JSON texts, oldest first
    positions: list[int]  # the position after each item
    next: int  # the position after the last item, or the one asked for when there is none


def page(uow: UnitOfWork, after: int, limit: int, filters: Filters) -> Page:
    with uow:
        rows = uow.feed.page(after, limit, filters.as_params())
    positions = [row["seq"] for row in rows]
    return Page([row["body"] for row in rows], positions, positions[-1] if positions else after)


def head(uow: UnitOfWork) -> int:
    """The position after the newest committed event: `after=now`."""
    with uow:
        return uow.feed.head()


def page_json(page: Page) -> str:
    return '{"items":[' + ",".join(page.items) + '],"next":"' + encode_cursor(page.next) + '"}'
