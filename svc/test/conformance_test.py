"""The OpenAPI description tells the truth: schemathesis reads /openapi.json of the real
service (a subprocess, over HTTP, with an admin token) and sends every operation requests
generated from it, valid and invalid (its examples, coverage and fuzzing phases, seeded),
and every check it offers must pass: no 5xx, only declared statuses, headers, content
types and bodies, schema-valid requests accepted, schema-violating ones refused, ...

What JSON Schema cannot say is supplied as data, not left out: a valid request names an
application that exists, a token's `expires_at` lies within the coming year and a feed
cursor is one the service issued (each of these is refused with 422 otherwise, as
docs/api.md says). The service's long-polls are bounded by its own FEED_MAX_WAIT_SECONDS,
which the description it serves declares; the event stream never ends, so its answer is
read up to its first message.
"""

import re
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.generation import GenerationMode

from config_service.api.openapi import ENTITY_TAGS
from config_service.db import local_postgres, roles
from test.fixtures import TEMPLATE, admin_execute, new_database
from test.live_server import LiveServer
from test.tokens import bearer

load_all_checks()
EVERY_CHECK = CHECKS.get_all()
SEED = 21
STREAM = "/api/v1/events/stream"
MAX_WAIT = 0.3  # FEED_MAX_WAIT_SECONDS of the service under test
TAG_LIST = re.compile(ENTITY_TAGS["pattern"])

described = schemathesis.pytest.from_fixture("described_api")


class Api:
    """The service under test, its token and what it holds."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.token = live.issue_token("admin", name="conformance", acts_for_others=True)
        self.token_id = self.token.split("_")[1]
        self.headers = bearer(self.token)
        with httpx.Client(base_url=live.url, headers=self.headers, timeout=10) as client:
            self.application_id = client.post("/api/v1/applications", json={"name": "seed"}).json()["id"]
            configuration = {"application_id": self.application_id, "name": "seed", "config": {"pool": 1}}
            configuration_id = client.post("/api/v1/configurations", json=configuration).json()["id"]
            client.put(f"/api/v1/configurations/{configuration_id}", json={"name": "seed", "config": {"pool": 2}})
            self.cursor = client.get("/api/v1/events", params={"limit": 1}).json()["next"]

    def spare_token_id(self) -> str:
        """A token of no importance, for a revoke or rotate that drew the run's own token."""
        made = httpx.post(f"{self.live.url}/api/v1/tokens", json={"name": "spare", "role": "reader"},
                          headers=self.headers, timeout=10)
        return made.json()["id"]


@pytest.fixture(scope="module")
def api(admin_url, template_url, postgres_server):
    name = new_database(admin_url, TEMPLATE)
    owner_url = local_postgres.with_database(admin_url, name)
    try:  # the service as the least-privileged role, as in fixtures.service_database_url
        service_url = owner_url if postgres_server is None else local_postgres.with_user(owner_url, roles.APP_ROLE)
        with LiveServer(service_url, migration_database_url=owner_url, db_threads=4,
                        feed_max_wait_seconds=MAX_WAIT) as live:
            yield Api(live)
    finally:
        admin_execute(admin_url, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def described_api(api):
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "headers": api.headers,
        "generation": {"database": "none", "deterministic": True},
        "phases": {"stateful": {"enabled": False}},
        # 410 (deleted) and 412 (another version's tag) join 404 and 409 among the answers to
        # a valid request that depend on what the database holds.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 404, 409, 410, 412]}},
    })
    return schemathesis.openapi.from_url(f"{api.live.url}/openapi.json", config=config)


def _in_a_month() -> str:
    return (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")


def supply_what_json_schema_cannot_say(case, api: Api) -> None:
    """State-dependent validity: only in requests that are valid by the schema (negative
    ones must be refused anyway), and the run's own token is never revoked or rotated."""
    if case.operation.path.startswith("/api/v1/tokens/{id}/") and \
            str(case.path_parameters.get("id", "")).upper() == api.token_id:
        case.path_parameters["id"] = api.spare_token_id()
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    for name in ("If-Match", "If-None-Match"):
        # schemathesis 4.32's coverage phase sends "0" for an optional header it calls valid,
        # whatever the header's pattern: such a request is no valid one.
        if case.headers and case.headers.get(name) is not None and not TAG_LIST.match(case.headers[name]):
            case.headers[name] = "*"
    body = case.body if isinstance(case.body, dict) else {}
    if isinstance(body.get("application_id"), str):
        body["application_id"] = api.application_id
    if isinstance(body.get("application_ids"), list):
        body["application_ids"] = [api.application_id] * len(body["application_ids"])
    if isinstance(body.get("expires_at"), str):
        body["expires_at"] = _in_a_month()
    feed = case.operation.path.startswith("/api/v1/events")
    if feed and case.query and case.query.get("after") not in (None, "now"):
        case.query["after"] = api.cursor
    if case.headers and case.headers.get("Last-Event-ID") not in (None, "now"):
        case.headers["Last-Event-ID"] = api.cursor


def call_stream(case, api: Api) -> requests.Response:
    """The event stream's answer up to its first message (it never ends by itself)."""
    kwargs = case.as_transport_kwargs(base_url=api.live.url, headers=api.headers)
    response = requests.request(**kwargs, stream=True, timeout=10)
    try:
        if response.status_code == 200:
            response._content = next(response.iter_content(chunk_size=None), b"")
        else:
            response._content = response.raw.read()
    finally:
        response.close()
    return response


@described.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_the_service_does_what_its_openapi_description_says(case, api):
    supply_what_json_schema_cannot_say(case, api)
    if case.operation.path == STREAM:
        response = call_stream(case, api)
        case.validate_response(response, checks=EVERY_CHECK, headers=api.headers,
                               transport_kwargs={"base_url": api.live.url, "headers": api.headers})
        assert response.status_code != 200 or response.content.startswith(b": connected")
    else:
        case.call_and_validate(base_url=api.live.url, headers=api.headers, checks=EVERY_CHECK, timeout=10)
