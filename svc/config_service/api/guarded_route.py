"""The route class of every /api/v1 route: the policy is asked before the endpoint runs.

Each route's operation comes from access/policy.py by the route's name, looked up when
the route is built: a route the policy does not know makes the app fail to start, so no
new route can escape the check.
"""

from starlette.requests import Request
from starlette.responses import Response

from config_service.access import policy
from config_service.api.authentication import PRINCIPAL_SCOPE_KEY
from config_service.api.lean_route import LeanRoute
from config_service.api.openapi import errors


class GuardedRoute(LeanRoute):
    def __init__(self, path: str, endpoint, *, responses: dict | None = None, **kwargs) -> None:
        super().__init__(path, endpoint, responses={**errors(401, 403, 422), **(responses or {})}, **kwargs)

    def get_route_handler(self):
        handler = super().get_route_handler()
        operation = policy.operation_of(self.name)

        async def guarded(request: Request) -> Response:
            policy.authorize(request.scope[PRINCIPAL_SCOPE_KEY], operation)
            return await handler(request)

        return guarded
