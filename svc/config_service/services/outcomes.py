"""What a write statement's answer means, the same for every kind of entity."""

from collections.abc import Callable
from typing import NoReturn

from config_service.audit import etags
from config_service.errors import NotFound, PreconditionFailed

# An entity's tag for a version, from its row (an application's tag also counts its configurations).
Tagger = Callable[[int, dict], str]


def versions(if_match: list[str] | None, kind: str) -> list[int] | None:
    """The versions an update may replace: None for no If-Match or `*` (any)."""
    return None if if_match is None else etags.accepted_versions(if_match, kind)


def written(row: dict | None, tag: Tagger, not_found: str) -> tuple[str, str]:
    """The written entity's JSON text and ETag; NotFound when there was no row to update,
    PreconditionFailed (with the current tag) when If-Match named another version."""
    if row is None:
        raise NotFound(not_found)
    if row["version"] is None:
        raise PreconditionFailed(tag(row["current_version"], row))
    return row["body"], tag(row["version"], row)


def no_such_version(current: dict | None, if_match: list[str] | None, kind: str, tag: Tagger,
                    not_found: str, version: int) -> NoReturn:
    """Why a revert has nothing to restore, in an update's order: no entity, If-Match, no version."""
    if current is None:
        raise NotFound(not_found)
    accepted = versions(if_match, kind)
    if accepted is not None and current["version"] not in accepted:
        raise PreconditionFailed(tag(current["version"], current))
    raise NotFound(f"{kind.capitalize()} has no version {version}.")
