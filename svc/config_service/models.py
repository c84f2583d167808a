"""Request and response models of the API."""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema
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
Name = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_storable_text)]
Comments = Annotated[str | None, Field(max_length=1024), AfterValidator(_storable_text)]
# Parsed by exact_json, so numbers arrive as int or Decimal, never float.
Config = Annotated[
    dict[str, Any],
    AfterValidator(_storable_json),
    WithJsonSchema({"type": "object", "additionalProperties": True, "description": "name/value pairs; values are any JSON"}),
]


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
    version: int = Field(ge=1, le=2_147_483_647, description="the version whose fields to restore")
