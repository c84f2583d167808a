"""What a write statement's answer means, the same for every kind of entity."""

from collections.abc import Callable
from typing import NoReturn

from config_service.audit import etags
from config_service.errors import Conflict, Gone, NotFound, PreconditionFailed

# An entity's tag for a version, from its row (an application's tag also counts its configurations).
Tagger = Callable[[int, dict], str]


def versions(if_match: list[str] | None, kind: str) -> list[int] | None:
    """The versions an update may replace: None for no If-Match or `*` (any)."""
    return None if if_match is None else etags.accepted_versions(if_match, kind)


def gone(row: dict, tag: Tagger, kind: str) -> Gone:
    """410 for a deleted entity, naming its deletion, with the tag a restore's If-Match matches."""
    version = row.get("current_version") or row["version"]
    return Gone(tag(version, row), f"The {kind} was deleted (version {version}, at {row['deleted_at']}); "
                                   "its history stays readable, and POST .../restore brings it back.")


def written(row: dict | None, tag: Tagger, not_found: str, kind: str = "entity") -> tuple[str, str]:
    """The written entity's JSON text and ETag; NotFound when there was no row to update,
    Gone when it is deleted, PreconditionFailed (with the current tag) when If-Match named
    another version."""
    if row is None:
        raise NotFound(not_found)
    if row.get("deleted"):
        raise gone(row, tag, kind)
    if row["version"] is None:
        raise PreconditionFailed(tag(row["current_version"], row))
    return row["body"], tag(row["version"], row)


def deleted(row: dict | None, tag: Tagger, not_found: str, kind: str) -> None:
    """What a deletion's answer means: NotFound, Gone (deleted before), PreconditionFailed."""
    if row is None:
        raise NotFound(not_found)
    if row["deleted"]:
        raise gone(row, tag, kind)
    if row["version"] is None:
        raise PreconditionFailed(tag(row["current_version"], row))


def restored(row: dict | None, tag: Tagger, not_found: str, kind: str) -> tuple[str, str]:
    """The restored entity's JSON text and ETag; Conflict when it was not deleted."""
    if row is None:
        raise NotFound(not_found)
    if not row["deleted"]:
        raise Conflict(f"The {kind} is not deleted: there is nothing to restore.")
    if row["version"] is None:
        raise PreconditionFailed(tag(row["current_version"], row))
    return row["body"], tag(row["version"], row)


def no_such_version(current: dict | None, if_match: list[str] | None, kind: str, tag: Tagger,
                    not_found: str, version: int) -> NoReturn:
    """Why a revert has nothing to restore, in an update's order: no entity, If-Match, no version."""
    if current is None:
        raise NotFound(not_found)
    if current.get("deleted"):
        raise gone(current, tag, kind)
    accepted = versions(if_match, kind)
    if accepted is not None and current["version"] not in accepted:
        raise PreconditionFailed(tag(current["version"], current))
    raise NotFound(f"{kind.capitalize()} has no version {version}.")


def deletion_restores_nothing(event: dict, version: int) -> dict:
    """The fields a revert restores from an event; Conflict for a `deleted` event (no after)."""
    if event["after"] is None:
        raise Conflict(f"Version {version} is a deletion: there are no fields to restore; revert to another version.")
    return event["after"]
