import pytest
from pydantic import ValidationError

from config_service.models import ApplicationIn, ConfigurationIn, ConfigurationUpdate

APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def errors_of(model, raw: bytes) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate_json(raw)
    return caught.value.errors()


def test_valid_bodies():
    app = ApplicationIn.model_validate_json(b'{"name": "a", "comments": ""}')
    assert (app.name, app.comments) == ("a", "")
    assert ApplicationIn.model_validate_json(b'{"name": "a"}').comments is None
    conf = ConfigurationIn.model_validate_json(
        b'{"application_id": "%s", "name": "n", "config": {"a": [1, {"b": null}]}}' % APP_ID.encode()
    )
    assert str(conf.application_id) == APP_ID
    assert conf.config == {"a": [1, {"b": None}]}


def test_name_length_counts_code_points():
    assert ApplicationIn(name="😀" * 256).name == "😀" * 256
    assert errors_of(ApplicationIn, ('{"name": "%s"}' % ("😀" * 257)).encode())[0]["type"] == "string_too_long"
    assert errors_of(ApplicationIn, b'{"name": ""}')[0]["type"] == "string_too_short"
    assert errors_of(ApplicationIn, ('{"name": "a", "comments": "%s"}' % ("x" * 1025)).encode())


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "a", "id": "x"}',
        b'{"name": 5}',
        b'{"name": "a\\u0000"}',
        b'{"name": "a\\ud800"}',
        b"[]",
        b"not json",
        b'{"name": "\xff"}',
    ],
)
def test_bad_application_bodies(raw):
    assert errors_of(ApplicationIn, raw)


@pytest.mark.parametrize(
    "config",
    [b"[]", b'"x"', b"null", b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1e400}', b'{"a\\u0000": 1}'],
)
def test_bad_configs(config):
    assert errors_of(ConfigurationUpdate, b'{"name": "n", "config": %s}' % config)


def test_configuration_update_refuses_application_id():
    raw = b'{"name": "n", "config": {}, "application_id": "%s"}' % APP_ID.encode()
    assert errors_of(ConfigurationUpdate, raw)[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    "application_id",
    [b"-1", b"340282366920938463463374607431768211456", b"2170979529252630185280316006840151308",
     b"true", b"[]", b"{}", b'"8ZZZZZZZZZZZZZZZZZZZZZZZZZ"', b'"01ARZ3NDEKTSV4RRFFQ69G5FA"'],
)
def test_ids_in_bodies_are_ulid_strings_only(application_id):
    raw = b'{"application_id": %s, "name": "n", "config": {}}' % application_id
    assert errors_of(ConfigurationIn, raw)[0]["loc"] == ("application_id",)


def test_lower_case_ids_are_accepted_and_answered_in_upper_case():
    raw = b'{"application_id": "%s", "name": "n", "config": {}}' % APP_ID.lower().encode()
    assert ConfigurationIn.model_validate_json(raw).application_id == APP_ID
