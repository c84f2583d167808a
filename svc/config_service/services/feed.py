"""The change feed: every committed event exactly once, from a cursor.

Events are read in (txid, seq) order, txid being the appending transaction, and only
those of transactions older than every transaction still running (migration 0010): that
part of the log can no longer change, whatever commits later or rolls back. A position
is the (txid, seq) of the last event delivered. `after=now` also carries the moment's
snapshot, so that events committed before it are skipped even when they sort after
events still to come.
"""

import hashlib
import re
from dataclasses import dataclass

from config_service.db.unit_of_work import UnitOfWork

CURSOR = re.compile(r"([0-9]{1,19}(?:\.[0-9]{1,19})*)\.([0-9a-f]{8})")
_MAX_RUNNING = 1000  # transactions in a `now` cursor: more than max_connections allows


@dataclass(frozen=True)
class Position:
    txid: int
    seq: int
    # From `after=now`: transactions from `xmax` on, and those in `running`, had not
    # committed at that moment; events of all others are not past this position.
    xmax: int | None = None
    running: tuple[int, ...] = ()

    def past(self, txid: int, seq: int) -> bool:
        """Whether the event (txid, seq) is still to be delivered from here."""
        return (txid, seq) > (self.txid, self.seq) and (
            self.xmax is None or txid >= self.xmax or txid in self.running
        )

    def after(self, txid: int, seq: int) -> "Position":
        """The position once the event (txid, seq) is delivered."""
        if self.xmax is None or txid >= self.xmax:
            return Position(txid, seq)
        return Position(txid, seq, self.xmax, tuple(t for t in self.running if t >= txid))

    def as_params(self) -> dict:
        return {"txid": self.txid, "seq": self.seq, "xmax": self.xmax, "running": list(self.running)}


BEGINNING = Position(0, 0)


def _check(body: str) -> str:
    return hashlib.sha256(b"config-service-feed:" + body.encode()).hexdigest()[:8]


def encode_cursor(position: Position) -> str:
    """An opaque cursor for a position."""
    fields = [position.txid, position.seq]
    if position.xmax is not None:
        fields += [position.xmax, *position.running]
    body = ".".join(map(str, fields))
    return f"{body}.{_check(body)}"


def decode_cursor(cursor: str) -> Position:
    """The position a cursor stands for; ValueError for one the service did not issue.

    A cursor of one number is from before migration 0010 (a seq, when all events were
    chained in seq order): every event appended since lies past it."""
    match = CURSOR.fullmatch(cursor)
    if match is None or match.group(2) != _check(match.group(1)):
        raise ValueError("not a cursor issued by this service")
    fields = [int(field) for field in match.group(1).split(".")]
    if len(fields) == 1:
        return Position(0, fields[0])
    if len(fields) > 3 + _MAX_RUNNING:
        raise ValueError("not a cursor issued by this service")
    return Position(fields[0], fields[1], *([fields[2], tuple(fields[3:])] if len(fields) > 2 else []))


@dataclass(frozen=True)
class Filters:
    application_id: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    # What the reader's token may see: its applications (None: all), and token events.
    scope: frozenset[str] | None = None
    tokens: bool = True

    def as_params(self) -> dict:
        return {
            "application_id": self.application_id, "entity_type": self.entity_type, "entity_id": self.entity_id,
            "actor": self.actor, "scope": None if self.scope is None else sorted(self.scope), "tokens": self.tokens,
        }

    def matches(self, hint: dict) -> bool:
        """Whether a NOTIFY hint (the event's filter fields) could be for this feed."""
        for name in ("application_id", "entity_type", "entity_id", "actor"):
            value = getattr(self, name)
            if value is not None and hint.get(name) != value:
                return False
        if self.scope is not None and hint.get("application_id") not in self.scope:
            return False
        return self.tokens or hint.get("entity_type") != "token"


@dataclass(frozen=True)
class Page:
    items: list[str]  # event JSON texts, oldest first
    positions: list[Position]  # the position after each item
    next: Position  # the position after the last item, or the one asked for when there is none


def page(uow: UnitOfWork, after: Position, limit: int, filters: Filters) -> Page:
    with uow:
        rows = uow.feed.page(after.as_params(), limit, filters.as_params())
    positions, position = [], after
    for row in rows:
        position = position.after(row["txid"], row["seq"])
        positions.append(position)
    return Page([row["body"] for row in rows], positions, position)


def now(uow: UnitOfWork) -> Position:
    """`after=now`: past it lies exactly what had not committed when this was called."""
    with uow:
        snapshot = uow.feed.snapshot()
    running = tuple(sorted(snapshot["running"]))
    if not running:
        return Position(snapshot["xmax"], 0)
    return Position(running[0], 0, snapshot["xmax"], running)


def page_json(page: Page) -> str:
    return '{"items": [' + ", ".join(page.items) + '], "next": "' + encode_cursor(page.next) + '"}'
