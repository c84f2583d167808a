from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from starlette.routing import Mount

from config_service.api import route_index
from config_service.api.route_index import MethodIndex


def app_with_routes() -> FastAPI:
    app = FastAPI(redirect_slashes=False)
    app.get("/things/{id}")(lambda id: PlainTextResponse(f"get {id}"))
    app.get("/things/special")(lambda: PlainTextResponse("never: the route above comes first"))
    app.post("/things")(lambda: PlainTextResponse("post"))
    app.put("/things/{id}")(lambda id: PlainTextResponse(f"put {id}"))
    inner = FastAPI()
    inner.get("/page")(lambda: PlainTextResponse("mounted"))
    app.router.routes.append(Mount("/ui", app=inner))
    route_index.install(app)
    return app


def test_each_request_reaches_the_route_starlettes_order_gives_it():
    client = TestClient(app_with_routes())
    assert client.get("/things/special").text == "get special"
    assert client.post("/things").text == "post"
    assert client.put("/things/7").text == "put 7"
    assert client.get("/ui/page").text == "mounted"


def test_what_no_route_takes_fully_is_left_to_starlette():
    client = TestClient(app_with_routes())
    assert client.delete("/things/7").status_code == 405  # the path is known, the method is not
    assert client.post("/things/7").status_code == 405
    assert client.get("/nothing").status_code == 404
    assert client.request("PATCH", "/things").status_code == 405  # a method no route takes


def test_only_the_routes_of_a_method_are_tried_in_their_order():
    index = app_with_routes().router.middleware_stack
    assert isinstance(index, MethodIndex)
    tried = {method: [r.path for r in routes if r.path.startswith(("/things", "/ui"))]
             for method, routes in index.routes.items()}
    assert tried["POST"] == ["/things", "/ui"] and tried["PUT"] == ["/things/{id}", "/ui"]
    assert tried["GET"] == ["/things/{id}", "/things/special", "/ui"]
