"""A route class that calls its endpoint without FastAPI's per-request dependency solving.

Our endpoints take the request plus plain path, query and header values and return a
Response. FastAPI's generic handler re-inspects every parameter's type on each request
(is it a sequence? a model? a form?); that introspection was the largest share of our own
CPU per request. Here each parameter is sorted out once, when the route is built, and
validated per request by its Pydantic field, with the same 422 errors FastAPI gives.
Routes that need more (dependencies, bodies declared as parameters, cookies, list-typed
parameters) keep FastAPI's handler.
"""

from copy import deepcopy
from typing import Any

from fastapi._compat import get_missing_field_error, is_scalar_field
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response


def _is_plain(dependant) -> bool:
    fields = [*dependant.path_params, *dependant.query_params, *dependant.header_params]
    return (
        not dependant.dependencies
        and not dependant.body_params
        and not dependant.cookie_params
        and dependant.response_param_name is None
        and dependant.background_tasks_param_name is None
        and dependant.http_connection_param_name is None
        and dependant.websocket_param_name is None
        and dependant.security_scopes_param_name is None
        and all(is_scalar_field(field) for field in fields)
    )


def _reader(field, where: str):
    """(name, read(request) -> (value, errors)) for one parameter. The alias is final:
    FastAPI has already turned a header parameter's underscores into hyphens."""
    alias, required = field.alias, field.required
    loc = (where, alias)
    source = {
        "path": lambda request: request.path_params,
        "query": lambda request: request.query_params,
        "header": lambda request: request.headers,
    }[where]

    def read(request: Request) -> tuple[Any, list]:
        value = source(request).get(alias)
        if value is None:
            if required:
                return None, [get_missing_field_error(loc)]
            return deepcopy(field.default), []
        validated, errors = field.validate(value, {}, loc=loc)
        return validated, errors or []

    return field.name, read


class LeanRoute(APIRoute):
    def get_route_handler(self):
        dependant = self.dependant
        if not _is_plain(dependant):
            return super().get_route_handler()
        readers = [
            *(_reader(field, "path") for field in dependant.path_params),
            *(_reader(field, "query") for field in dependant.query_params),
            *(_reader(field, "header") for field in dependant.header_params),
        ]
        request_name, endpoint = dependant.request_param_name, self.endpoint

        async def handler(request: Request) -> Response:
            values, errors = {}, []
            for name, read in readers:
                value, problems = read(request)
                if problems:
                    errors.extend(problems)
                else:
                    values[name] = value
            if errors:
                raise RequestValidationError(errors)
            if request_name is not None:
                values[request_name] = request
            response = await endpoint(**values)
            if not isinstance(response, Response):
                raise TypeError(f"{endpoint.__name__} must return a Response")
            return response

        return handler
