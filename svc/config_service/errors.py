"""Domain errors. Each docstring is the default message a client sees."""


class ServiceError(Exception):
    """The service could not complete the request."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self.args[0])


class NotFound(ServiceError):
    """Resource not found."""


class Unauthorized(ServiceError):
    """Send a valid token as `Authorization: Bearer <token>`."""

    def __init__(self, message: str | None = None, token_sent: bool = False) -> None:
        super().__init__(message)
        self.token_sent = token_sent


class Forbidden(ServiceError):
    """The token's role does not allow this operation."""


class Conflict(ServiceError):
    """The request conflicts with the resource's current state."""


class Gone(ServiceError):
    """The entity was deleted."""

    def __init__(self, etag: str, message: str | None = None) -> None:
        super().__init__(message)
        self.etag = etag


class AlreadyExists(ServiceError):
    """The name is already taken."""


class InvalidReference(ServiceError):
    """The body names a resource that does not exist."""


class InvalidValue(ServiceError):
    """A value in the body is not acceptable."""


class DatabaseUnavailable(ServiceError):
    """The database is unavailable; try again shortly."""


class DatabaseBusy(DatabaseUnavailable):
    """The database is busy; try again shortly."""


class HistoryInconsistent(ServiceError):
    """The entity's history is inconsistent (its events do not match its row or each
    other); nothing was written. Run `pipenv run audit verify` to find the damaged event."""


class BadPrecondition(ServiceError):
    """If-Match must be `*` or a comma-separated list of entity tags such as "v3"."""


class PreconditionRequired(ServiceError):
    """This service requires If-Match on PUT and revert: GET the entity and send its ETag."""


class PreconditionFailed(ServiceError):
    """The entity has changed since that tag was issued: GET it again and retry with its ETag."""

    def __init__(self, etag: str, message: str | None = None) -> None:
        super().__init__(message)
        self.etag = etag
