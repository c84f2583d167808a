"""Parsing request bodies: UTF-8 JSON with exact numbers, then one Pydantic pass."""

import json
from typing import TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from config_service import exact_json

M = TypeVar("M", bound=BaseModel)


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


async def read_body(request: Request, model: type[M]) -> M:
    """The validated body, or a 422 RequestValidationError naming what is wrong."""
    if not _is_json(request.headers.get("content-type")):
        raise RequestValidationError(
            [{"type": "content_type", "loc": ["header", "content-type"],
              "msg": "Content-Type must be application/json"}]
        )
    body = await request.body()
    try:
        data = exact_json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise RequestValidationError([{"type": "json_invalid", "loc": ["body"], "msg": _json_problem(exc)}]) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        raise RequestValidationError(
            [{**error, "loc": ["body", *error["loc"]]} for error in errors]
        ) from None


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "Body is not valid UTF-8"
    if isinstance(exc, RecursionError):
        return "JSON is nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        return f"Invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    return f"Invalid JSON: {exc}"


def body_schema(model: type[BaseModel]) -> dict:
    """OpenAPI request body for routes that read their body with read_body."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}
    }
