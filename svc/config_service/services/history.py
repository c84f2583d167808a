"""Reading an entity's past: history pages, versions, instants and diffs."""

import json
from datetime import datetime

from config_service import exact_json
from config_service.audit.json_patch import diff
from config_service.db.unit_of_work import UnitOfWork
from config_service.audit import etags
from config_service.errors import Gone, NotFound
from config_service.services.visibility import ensure_visible

LABELS = {"application": "Application", "configuration": "Configuration"}
NOT_FOUND = {kind: f"{label} not found." for kind, label in LABELS.items()}
# The tag of a deletion's version (an application then has no live configurations).
TAGS = {"application": lambda version: etags.application_tag(version, 0), "configuration": etags.configuration_tag}
PATHS = {"application": "/api/v1/applications", "configuration": "/api/v1/configurations"}


def _missing(uow: UnitOfWork, kind: str, id: str, what: str) -> NotFound:
    """404 naming what is missing: the entity itself, or only the version asked for."""
    if not uow.history.exists(kind, id):
        return NotFound(NOT_FOUND[kind])
    return NotFound(f"{LABELS[kind]} has no {what}.")


def page_json(uow: UnitOfWork, kind: str, id: str, limit: int, before_version: int | None,
              scope: frozenset[str] | None = None) -> tuple[str, str | None]:
    """{"items": events newest first, "next": the path of the next page or null}, as JSON
    text, and that path."""
    with uow:
        ensure_visible(uow, kind, id, scope)
        rows = uow.history.page(kind, id, limit, before_version)
        if not rows and not uow.history.exists(kind, id):
            raise NotFound(NOT_FOUND[kind])
    next_path = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_path = f"{PATHS[kind]}/{id}/history?limit={limit}&before_version={rows[-1]['version']}"
    items = ", ".join(row["body"] for row in rows)
    return '{"items": [' + items + '], "next": ' + json.dumps(next_path) + "}", next_path


def _deletion(kind: str, version: int, occurred_at: str) -> Gone:
    return Gone(TAGS[kind](version), f"Version {version} of the {kind} is its deletion (at {occurred_at}): "
                                     "it has no state; the versions before it do.")


def version_json(uow: UnitOfWork, kind: str, id: str, version: int, scope: frozenset[str] | None = None) -> str:
    with uow:
        ensure_visible(uow, kind, id, scope)
        row = uow.history.at_version(kind, id, version)
        if row is None:
            raise _missing(uow, kind, id, f"version {version}")
    if row["after"] is None:
        raise _deletion(kind, version, row["occurred_at"])
    return row["body"]


def as_of_json(uow: UnitOfWork, kind: str, id: str, at: datetime, scope: frozenset[str] | None = None) -> str:
    with uow:
        ensure_visible(uow, kind, id, scope)
        row = uow.history.as_of(kind, id, at)
        if row is None:
            raise _missing(uow, kind, id, f"version at {at.isoformat()} (it did not exist yet)")
    if row["body"] is None:
        raise Gone(TAGS[kind](row["version"]), f"The {kind} was deleted at that instant (version {row['version']}, "
                                               f"deleted at {row['occurred_at']}).")
    return row["body"]


def diff_json(uow: UnitOfWork, kind: str, id: str, from_version: int, to_version: int | None,
              scope: frozenset[str] | None = None) -> str:
    """The RFC 6902 patch turning version `from_version` into `to_version` (default: current)."""
    with uow:
        ensure_visible(uow, kind, id, scope)
        if to_version is None:
            to_version = uow.history.latest_version(kind, id)
            if to_version is None:
                raise NotFound(NOT_FOUND[kind])
        snapshots = []
        for version in (from_version, to_version):
            row = uow.history.at_version(kind, id, version)
            if row is None:
                raise _missing(uow, kind, id, f"version {version}")
            if row["after"] is None:
                raise _deletion(kind, version, row["occurred_at"])
            snapshots.append(row["after"])
    return exact_json.dumps(diff(*snapshots))
