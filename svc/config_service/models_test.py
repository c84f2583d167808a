import pytest
from pydantic import ValidationError

import re
from decimal import Decimal

import jsonschema_rs

from config_service import exact_json
from config_service.models import (JSON_VALUE_SCHEMA, STORABLE_TEXT_PATTERN, ApplicationIn, ConfigurationIn,
                                   ConfigurationUpdate, RevertIn, RotateIn, TokenIn)

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


@pytest.mark.parametrize("raw", [b"422", b"422.0", b"4.22e2", b"422.000"])
def test_integral_numbers_are_integers_as_in_json_schema(raw):
    assert RevertIn.model_validate(exact_json.loads(b'{"version": %s}' % raw)).version == 422
    assert RotateIn.model_validate(exact_json.loads(b'{"grace_seconds": %s}' % raw)).grace_seconds == 422
    assert RevertIn.model_validate_json(b'{"version": %s}' % raw).version == 422


@pytest.mark.parametrize("value", [Decimal("422.5"), True, "422", Decimal("1e30"), Decimal("NaN"), 0.5, None])
def test_other_numbers_and_types_are_not_versions(value):
    with pytest.raises(ValidationError):
        RevertIn.model_validate({"version": value})


def test_only_reader_and_writer_tokens_may_be_limited_and_the_schema_says_so():
    validator = jsonschema_rs.validator_for(TokenIn.model_json_schema())
    limited = {"name": "n", "application_ids": [APP_ID]}
    for role, allowed in [("reader", True), ("writer", True), ("auditor", False), ("admin", False)]:
        assert validator.is_valid({**limited, "role": role}) is allowed, role
        try:
            TokenIn.model_validate({**limited, "role": role})
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted is allowed, role
    assert validator.is_valid({"name": "n", "role": "admin", "application_ids": None})


def test_the_schema_declares_no_nul_in_text_as_the_models_refuse():
    assert re.fullmatch(STORABLE_TEXT_PATTERN[1:-1], "any text, even \u202e") and not re.search(
        STORABLE_TEXT_PATTERN, "a\u0000")
    json_value = {"$ref": "#/$defs/JsonValue", "$defs": {"JsonValue": _rebased(JSON_VALUE_SCHEMA)}}
    validator = jsonschema_rs.validator_for(json_value)
    assert validator.is_valid({"a": [1, {"b": "c"}], "d": None})
    assert not validator.is_valid({"a": [{"b": "c\u0000"}]}) and not validator.is_valid({"a\u0000": 1})


def _rebased(node):
    """JSON_VALUE_SCHEMA with its references pointing into the test's $defs."""
    if isinstance(node, dict):
        return {k: ("#/$defs/JsonValue" if k == "$ref" else _rebased(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebased(v) for v in node]
    return node
