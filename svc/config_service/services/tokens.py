"""Use cases for API tokens: create, list, read, revoke, rotate; and what authenticating
a request needs. Each write is one statement that also appends its events."""

from datetime import datetime, timedelta, timezone

from config_service.access import token_text
from config_service.audit.events import RequestContext, stamp
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import Conflict, InvalidReference, InvalidValue, NotFound
from config_service.ids import new_id
from config_service.models import TokenIn

NOT_FOUND = "Token not found."
# The API's field order (the database's jsonb orders keys by length).
FIELDS = ("id", "name", "role", "application_ids", "acts_for_others", "created_at", "created_by",
          "expires_at", "revoked_at", "last_used_at")


def _shaped(fields: dict, text: str | None = None) -> dict:
    shaped = {name: fields[name] for name in FIELDS}
    if text is not None:
        shaped["token"] = text
    return shaped
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=366)


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is None:
        return
    now = datetime.now(timezone.utc)
    if expires_at <= now:
        raise InvalidValue("expires_at must be in the future.")
    if expires_at > now + MAX_LIFETIME:
        raise InvalidValue("expires_at must be at most 366 days away.")


def create(uow: UnitOfWork, data: TokenIn, context: RequestContext) -> dict:
    """The new token's fields and, this once, its text (`token`)."""
    _check_expiry(data.expires_at)
    id = new_id()
    text = token_text.new_text(id)
    params = {
        "id": id, "name": data.name, "role": data.role, "application_ids": data.application_ids,
        "acts_for_others": data.acts_for_others, "expires_at": data.expires_at,
        "secret_hash": token_text.digest(text), **stamp(context),
    }
    with uow:
        scope = data.application_ids
        if scope is not None and uow.tokens.count_applications(scope) != len(scope):
            raise InvalidReference("application_ids names an application that does not exist.")
        fields = uow.tokens.create(params)
    return _shaped(fields, text)


def _ending(context: RequestContext, grace: int | None, **params) -> dict:
    return {"grace": grace, **stamp(context), "revoked_event_id": new_id(), "created_event_id": new_id(), **params}


def revoke(uow: UnitOfWork, id: str, context: RequestContext) -> dict:
    """The revoked token's fields; it is refused from now on (a rotated one too, at once)."""
    with uow:
        row = uow.tokens.revoke(_ending(context, None, id=id))
    if row is None:
        raise NotFound(NOT_FOUND)
    if row["fields"] is None:
        raise Conflict(f"The token was revoked already (at {row['old']['revoked_at']}).")
    return _shaped(row["fields"])


def rotate(uow: UnitOfWork, id: str, grace_seconds: int, context: RequestContext) -> dict:
    """A successor with the same name, role and scope (its text once, as `token`); the old
    token keeps working for `grace_seconds`."""
    new = new_id()
    text = token_text.new_text(new)
    params = _ending(context, grace_seconds, id=id, id_new=new, secret_hash=token_text.digest(text))
    with uow:
        row = uow.tokens.rotate(params)
    if row is None:
        raise NotFound(NOT_FOUND)
    if row["fields"] is None:
        raise Conflict("The token has expired, or was revoked or rotated already: create a new one.")
    return _shaped(row["fields"], text)


def get(uow: UnitOfWork, id: str) -> dict:
    with uow:
        fields = uow.tokens.get(id)
    if fields is None:
        raise NotFound(NOT_FOUND)
    return _shaped(fields)


def list_all(uow: UnitOfWork) -> list[dict]:
    """Every token's fields (never a text or hash), oldest first."""
    with uow:
        return [_shaped(fields) for fields in uow.tokens.all()]


def any_exists(uow: UnitOfWork) -> bool:
    with uow:
        return uow.tokens.any()


def credentials(uow: UnitOfWork, id: str) -> dict | None:
    """What authenticating a request with token `id` needs (secret_hash included)."""
    with uow:
        return uow.tokens.credentials(id)


def touch(uow: UnitOfWork, id: str) -> None:
    """Record a use (the database writes at most once a minute per token)."""
    with uow:
        uow.tokens.touch(id)
