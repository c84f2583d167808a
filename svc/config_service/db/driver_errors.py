"""Translates psycopg2's errors into domain errors, once, at the adapter boundary."""

import psycopg2
from psycopg2 import errors as pg

from config_service.errors import (
    AlreadyExists,
    Conflict,
    DatabaseBusy,
    DatabaseUnavailable,
    HistoryInconsistent,
    InvalidReference,
    InvalidValue,
    ServiceError,
)

UNIQUE_MESSAGES = {
    "applications_name_key": "An application with this name already exists.",
    "configurations_application_id_name_key": (
        "A configuration with this name already exists in this application."
    ),
}
FOREIGN_KEY_MESSAGES = {
    "configurations_application_id_fkey": "application_id names no application.",
    "configurations_application_live": "application_id names no application.",  # a deleted one
}
CONFLICT_MESSAGES = {
    "applications_live_configurations": (
        "A configuration was created in the application while it was being deleted; nothing was deleted."
    ),
}

CHECK_MESSAGES = {
    "tokens_lifetime": "expires_at must be in the future and at most 366 days after the token's creation.",
}


def translate(exc: psycopg2.Error) -> ServiceError | None:
    """The domain error for a driver error, or None when it is a bug to surface as 500."""
    constraint = getattr(exc.diag, "constraint_name", None)
    if isinstance(exc, pg.UniqueViolation) and constraint in UNIQUE_MESSAGES:
        return AlreadyExists(UNIQUE_MESSAGES[constraint])
    if isinstance(exc, pg.ForeignKeyViolation) and constraint in CONFLICT_MESSAGES:
        return Conflict(CONFLICT_MESSAGES[constraint])
    if isinstance(exc, pg.ForeignKeyViolation) and constraint in FOREIGN_KEY_MESSAGES:
        return InvalidReference(FOREIGN_KEY_MESSAGES[constraint])
    if isinstance(exc, pg.CheckViolation) and constraint in CHECK_MESSAGES:
        return InvalidValue(CHECK_MESSAGES[constraint])
    if type(exc) is pg.IntegrityConstraintViolation or constraint == "config_events_entity_version_key":
        # Raised by the audit triggers: the entity's events no longer follow its row.
        return HistoryInconsistent()
    if isinstance(exc, (pg.QueryCanceled, pg.LockNotAvailable)):
        return DatabaseBusy("The database did not answer in time; try again shortly.")
    if isinstance(exc, psycopg2.extensions.TransactionRollbackError):
        return DatabaseBusy("The write collided with a concurrent one; try again.")
    if isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)):
        return DatabaseUnavailable()
    return None


def is_connection_error(exc: BaseException | None) -> bool:
    """Whether the connection itself failed (and must not go back to the pool).

    Errors from the server carry a SQLSTATE; libpq reports a lost server without one,
    sometimes as a bare DatabaseError ("server closed the connection unexpectedly").
    """
    if isinstance(exc, (pg.QueryCanceled, pg.LockNotAvailable, psycopg2.extensions.TransactionRollbackError)):
        return False
    if isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)):
        return True
    return type(exc) is psycopg2.DatabaseError and exc.pgcode is None
