"""Response classes: entity bodies written with their numbers exactly as stored."""

from starlette.responses import JSONResponse

from config_service import exact_json


class ExactJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return exact_json.dumps(content).encode("utf-8")
