"""Request and response models of the API."""

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints,
                      WithJsonSchema, model_validator)
from ulid import ULID as ParsedULID

from config_service.json_rules import unstorable_json_reason, unstorable_text_reason

# Crockford base32, either case; the first character keeps the value within 128 bits.
ULID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$"
ULID_SCHEMA = {
    "type": "string",
    "pattern": ULID_PATTERN,
    "minLength": 26,
    "maxLength": 26,
    "description": "a ULID (26 characters, Crockford base32; either case is accepted, answers use upper case)",
    "examples": ["01JDQ8ZKX6M3V0R8N2T4Y6B9CE"],
}


def _storable_text(value: str | None) -> str | None:
    reason = value is not None and unstorable_text_reason(value)
    if reason:
        raise ValueError(reason)
    return value


def _storable_json(value: dict) -> dict:
    reason = unstorable_json_reason(value)
    if reason:
        raise ValueError(reason)
    return value


def _canonical_ulid(value: str) -> str:
    return str(ParsedULID.from_str(value.upper()))


Ulid = Annotated[
    str, StringConstraints(pattern=ULID_PATTERN), AfterValidator(_canonical_ulid), WithJsonSchema(ULID_SCHEMA)
]
# What PostgreSQL cannot store, as the OpenAPI description says it (json_rules.py enforces
# it): no NUL; lone surrogates are no Unicode text, so JSON Schema cannot name them.
STORABLE_TEXT_PATTERN = "^[^\\u0000]*$"
STORABLE_TEXT = "text without NUL (U+0000) or lone surrogates"
Name = Annotated[
    str, Field(min_length=1, max_length=256, json_schema_extra={"pattern": STORABLE_TEXT_PATTERN}),
    AfterValidator(_storable_text),
]
Comments = Annotated[
    Annotated[str, Field(max_length=1024, json_schema_extra={"pattern": STORABLE_TEXT_PATTERN})] | None,
    AfterValidator(_storable_text),
]
# Any JSON value PostgreSQL can store, for the OpenAPI description (components/schemas).
JSON_VALUE_REF = "#/components/schemas/JsonValue"
# Where Config's schema refers to it: Pydantic resolves every `$ref` it is given, so
# api/openapi.py puts the reference in place of this.
JSON_VALUE_PLACEHOLDER = {"$comment": JSON_VALUE_REF}
JSON_VALUE_SCHEMA = {
    "description": f"any JSON value: {STORABLE_TEXT} in strings and names, finite numbers of at most 131,072 "
                   "digits before the decimal point and 16,383 after it, nested at most 200 levels deep",
    "anyOf": [
        {"type": "string", "pattern": STORABLE_TEXT_PATTERN},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
        {"type": "array", "items": {"$ref": JSON_VALUE_REF}},
        {"type": "object", "propertyNames": {"pattern": STORABLE_TEXT_PATTERN},
         "additionalProperties": {"$ref": JSON_VALUE_REF}},
    ],
}
# Parsed by exact_json, so numbers arrive as int or Decimal, never float.
Config = Annotated[
    dict[str, Any],
    AfterValidator(_storable_json),
    WithJsonSchema({
        "type": "object", "propertyNames": {"pattern": STORABLE_TEXT_PATTERN},
        "additionalProperties": JSON_VALUE_PLACEHOLDER,
        "description": "name/value pairs; values are any JSON PostgreSQL can store (see JsonValue)",
    }),
]


def _integral(value: object) -> object:
    """A JSON number without a fraction is an integer, as JSON Schema says: `3.0` and `3e0`
    (Decimals from exact_json) are 3. Anything else (1.5, true, "3") is left to strict
    validation to refuse; so are numbers of 20 digits or more, beyond every bound here."""
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() < 20 and value == value.to_integral_value():
            return int(value)
    elif isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# An integer in a request body: any JSON number without a fraction.
JsonInteger = Annotated[int, BeforeValidator(_integral)]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ApplicationIn(RequestBody):
    name: Name
    comments: Comments = None


class ConfigurationUpdate(RequestBody):
    name: Name
    comments: Comments = None
    config: Config


class ConfigurationIn(ConfigurationUpdate):
    application_id: Ulid


class Application(BaseModel):
    id: Ulid
    name: str
    comments: str | None


class ApplicationWithConfigurations(Application):
    configuration_ids: list[Ulid]


class Configuration(BaseModel):
    id: Ulid
    application_id: Ulid
    name: str
    comments: str | None
    config: Config


class RevertIn(RequestBody):
    version: JsonInteger = Field(ge=1, le=2_147_483_647, description="the version whose fields to restore")


def _rfc3339(value: str) -> datetime:
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise ValueError("must be an RFC 3339 time with an offset, such as 2027-03-01T00:00:00Z")
    return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))


# ASCII digits only, no year 0000 and no leap second (Python's datetime has neither).
_RFC3339 = re.compile(
    r"(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-5][0-9](\.[0-9]{1,6})?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
Instant = Annotated[
    str, AfterValidator(_rfc3339),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": f"^{_RFC3339.pattern}$"}),
]
Role = Literal["reader", "writer", "auditor", "admin"]


class TokenIn(RequestBody):
    # Only reader and writer tokens can be limited to applications.
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"properties": {"role": {"enum": ["reader", "writer"]}}},
        {"properties": {"application_ids": {"type": "null"}}},
    ]})

    name: Name = Field(description="who or what uses the token (a person, a system); the actor of its writes")
    role: Role
    application_ids: list[Ulid] | None = Field(
        None, min_length=1, max_length=1000,
        description="the applications a reader or writer token may see (null: every application)",
    )
    acts_for_others: bool = Field(False, description="whether requests may name their actor in X-Actor")
    expires_at: Instant | None = Field(None, description="in the future, at most 366 days away (default: 90 days)")

    @model_validator(mode="after")
    def _scope_for_readers_and_writers(self) -> "TokenIn":
        if self.application_ids is not None:
            if self.role not in ("reader", "writer"):
                raise ValueError("application_ids limits reader and writer tokens only")
            self.application_ids = list(dict.fromkeys(self.application_ids))
        return self


class RotateIn(RequestBody):
    grace_seconds: JsonInteger = Field(0, ge=0, le=86_400, description="how long the old token keeps working")


class Token(BaseModel):
    id: Ulid
    name: str
    role: Role
    application_ids: list[Ulid] | None
    acts_for_others: bool
    created_at: datetime
    created_by: Ulid | None
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(Token):
    token: str = Field(description="the token's text: shown in this answer only, never again")
