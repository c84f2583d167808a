from config_service.errors import AlreadyExists, DatabaseBusy, DatabaseUnavailable, NotFound


def test_docstring_is_the_default_message():
    assert NotFound().message == "Resource not found."
    assert DatabaseUnavailable().message == "The database is unavailable; try again shortly."


def test_explicit_message_wins_and_busy_is_a_kind_of_unavailable():
    assert AlreadyExists("taken").message == "taken"
    assert isinstance(DatabaseBusy(), DatabaseUnavailable)


def test_precondition_failed_carries_the_current_tag():
    from config_service.errors import PreconditionFailed

    error = PreconditionFailed('"v2"')
    assert error.etag == '"v2"' and "changed" in error.message
