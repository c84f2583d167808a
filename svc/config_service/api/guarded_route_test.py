import pytest
from fastapi import APIRouter

from config_service.api.guarded_route import GuardedRoute


def test_a_route_the_policy_does_not_know_cannot_be_built():
    router = APIRouter(route_class=GuardedRoute)
    with pytest.raises(KeyError, match="unclassified_route"):
        @router.get("/x")
        async def unclassified_route():
            return None


def test_guarded_routes_declare_401_403_and_422(settings):
    from config_service.main import create_app

    schema = create_app(settings).openapi()
    operation = schema["paths"]["/api/v1/tokens"]["get"]
    assert {"401", "403", "422"} <= set(operation["responses"]) and operation["security"] == [{"bearer": []}]
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "security" not in schema["paths"]["/health"]["get"]
