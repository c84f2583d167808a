import pytest

from config_service.audit import etags
from config_service.errors import BadPrecondition


def test_tags_are_quoted_versions():
    assert etags.configuration_tag(3) == '"v3"'
    assert etags.application_tag(3, 2) == '"v3-2"'


@pytest.mark.parametrize(
    "header, tags",
    [
        ("*", ["*"]),
        (' * ', ["*"]),
        ('"v1"', ['"v1"']),
        ('"v1", W/"v2" ,"x"', ['"v1"', 'W/"v2"', '"x"']),
        ('""', ['""']),
    ],
)
def test_parse(header, tags):
    assert etags.parse(header) == tags


@pytest.mark.parametrize("header", ["", "v1", '"v1', '"v1" "v2"', '"a"b"', 'W/v1', '"v1",,', "*, \"v1\""])
def test_unparsable_headers(header):
    with pytest.raises(BadPrecondition):
        etags.parse(header)


def test_if_match_accepts_the_versions_of_strong_tags_of_the_same_kind():
    assert etags.accepted_versions(["*"], "configuration") is None  # any version
    assert etags.accepted_versions(['"x"', '"v7"', '"v9"'], "configuration") == [7, 9]
    assert etags.accepted_versions(['W/"v7"'], "configuration") == []
    assert etags.accepted_versions(['"v7-0"'], "configuration") == []
    assert etags.accepted_versions(['"v7-0"'], "application") == [7]  # issued before a configuration was added
    assert etags.accepted_versions(['"v7"'], "application") == []


def test_if_none_match_is_a_weak_comparison_of_the_whole_tag():
    assert etags.none_match(["*"], '"v1"')
    assert etags.none_match(['W/"v1-2"'], '"v1-2"')
    assert not etags.none_match(['"v1-1"'], '"v1-2"')
