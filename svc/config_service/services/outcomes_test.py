import pytest

from config_service.errors import NotFound, PreconditionFailed
from config_service.services.outcomes import no_such_version, versions, written


def tag(version: int, row: dict) -> str:
    return f'"v{version}-{row["n"]}"'


def test_versions_from_if_match():
    assert versions(None, "configuration") is None and versions(["*"], "configuration") is None
    assert versions(['"v3"', 'W/"v4"'], "configuration") == [3]


def test_a_written_row_gives_its_body_and_tag():
    assert written({"version": 2, "current_version": 1, "body": "{}", "n": 5}, tag, "gone") == ("{}", '"v2-5"')


def test_no_row_is_not_found_and_no_new_version_a_failed_precondition():
    with pytest.raises(NotFound, match="gone"):
        written(None, tag, "gone")
    with pytest.raises(PreconditionFailed) as caught:
        written({"version": None, "current_version": 7, "body": None, "n": 0}, tag, "gone")
    assert caught.value.etag == '"v7-0"'


def test_a_missing_version_is_explained_in_an_updates_order():
    with pytest.raises(NotFound, match="gone"):
        no_such_version(None, ['"v1-0"'], "application", tag, "gone", 9)
    with pytest.raises(PreconditionFailed):
        no_such_version({"version": 2, "n": 0}, ['"v1-0"'], "application", tag, "gone", 9)
    with pytest.raises(NotFound, match="Application has no version 9"):
        no_such_version({"version": 2, "n": 0}, ['"v2-0"'], "application", tag, "gone", 9)
