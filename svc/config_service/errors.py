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


class AlreadyExists(ServiceError):
    """The name is already taken."""


class InvalidReference(ServiceError):
    """The body names a resource that does not exist."""


class DatabaseUnavailable(ServiceError):
    """The database is unavailable; try again shortly."""


class DatabaseBusy(DatabaseUnavailable):
    """The database is busy; try again shortly."""
