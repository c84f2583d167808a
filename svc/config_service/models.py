"""Request and response models of the API."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue
from pydantic_extra_types.ulid import ULID

from config_service.json_rules import unstorable_json_reason, unstorable_text_reason


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


Name = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_storable_text)]
Comments = Annotated[str | None, Field(max_length=1024), AfterValidator(_storable_text)]
Config = Annotated[dict[str, JsonValue], AfterValidator(_storable_json)]


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
    application_id: ULID


class Application(BaseModel):
    id: ULID
    name: str
    comments: str | None


class ApplicationWithConfigurations(Application):
    configuration_ids: list[ULID]


class Configuration(BaseModel):
    id: ULID
    application_id: ULID
    name: str
    comments: str | None
    config: dict[str, JsonValue]
