"""Strong entity tags from versions, and the If-Match / If-None-Match headers that carry them.

A configuration's tag is `"v<version>"`. An application's GET body also lists its live
configurations, so its tag is `"v<version>-<n>"`, n a number the database derives from
their ids (repositories/applications.MEMBERS): it changes whenever that list does, while
If-Match compares only the version (the application's own fields are what a PUT, revert,
delete or restore replaces).
"""

import re

from config_service.errors import BadPrecondition

# RFC 9110 entity tags, separated by commas and optional spaces or tabs (api/openapi.py
# declares the same rule).
_ENTITY_TAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*(?:,|$)')
_OUR_TAG = re.compile(r"v([1-9][0-9]{0,9})(?:-([0-9]{1,10}))?")


def configuration_tag(version: int) -> str:
    return f'"v{version}"'


def application_tag(version: int, members: int) -> str:
    return f'"v{version}-{members}"'


ANY = "*"


def parse(header: str) -> list[str]:
    """The tags of an If-Match / If-None-Match value (weak ones as W/"x"; `*` as [ANY]);
    BadPrecondition when it is not a list of entity tags."""
    if header.strip(" \t") == ANY:
        return [ANY]
    tags, position = [], 0
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None or match.end() == position:
            raise BadPrecondition()
        tags.append(f'{match.group(1) or ""}"{match.group(2)}"')
        position = match.end()
    if not tags:
        raise BadPrecondition()
    return tags


def accepted_versions(tags: list[str], kind: str) -> list[int] | None:
    """If-Match: the versions whose tags of this kind it names (strong tags only; the
    version must be the current one to match), or None for `*` (any version)."""
    if tags == [ANY]:
        return None
    versions = []
    for tag in tags:
        match = _OUR_TAG.fullmatch(tag.strip('"')) if not tag.startswith("W/") else None
        if match and (match.group(2) is not None) == (kind == "application"):
            versions.append(int(match.group(1)))
    return versions


def none_match(tags: list[str], current: str) -> bool:
    """If-None-Match (weak comparison): `*`, or any tag equal to the current one."""
    return tags == [ANY] or any(tag.removeprefix("W/") == current for tag in tags)
