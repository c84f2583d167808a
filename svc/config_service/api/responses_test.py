from decimal import Decimal

from config_service.api.responses import ExactJSONResponse


def test_decimals_are_written_digit_for_digit():
    response = ExactJSONResponse({"config": {"pi": Decimal("3.14159265358979323846264338327950288")}}, status_code=201)
    assert response.body == b'{"config":{"pi":3.14159265358979323846264338327950288}}'
    assert response.status_code == 201 and response.media_type == "application/json"
