"""Seeds a benchmark database through SQL: applications, configurations and their created events."""

import json

from psycopg2.extras import execute_values

from config_service.audit.events import RequestContext, build_event
from config_service.ids import new_id

CONTEXT = RequestContext(request_id="bench-seed", actor="bench")


def seed(conn, applications: int, configurations_per_application: int) -> list[dict]:
    """Insert the rows with their version-1 events; returns the configurations' id and name."""
    apps, configs, events = [], [], []
    for a in range(applications):
        app = {"id": new_id(), "name": f"app-{a}", "comments": None}
        apps.append(app)
        events.append(build_event("application", 1, None, app, CONTEXT))
        for c in range(configurations_per_application):
            config = {"id": new_id(), "application_id": app["id"], "name": f"conf-{c}", "comments": None,
                      "config": {"replicas": c, "feature": {"enabled": True}}}
            configs.append(config)
            events.append(build_event("configuration", 1, None, config, CONTEXT))
    with conn.cursor() as cur:
        execute_values(cur, "INSERT INTO applications (id, name, comments) VALUES %s",
                       [(a["id"], a["name"], a["comments"]) for a in apps], page_size=1000)
        execute_values(cur, "INSERT INTO configurations (id, application_id, name, comments, config) VALUES %s",
                       [(c["id"], c["application_id"], c["name"], c["comments"], json.dumps(c["config"]))
                        for c in configs], page_size=1000)
        execute_values(
            cur,
            "INSERT INTO config_events (id, entity_type, entity_id, application_id, action, version,"
            " before, after, changed_fields, actor, request_id) VALUES %s",
            [(e["id"], e["entity_type"], e["entity_id"], e["application_id"], e["action"], e["version"], None,
              json.dumps(e["after"]), e["changed_fields"], e["actor"], e["request_id"]) for e in events],
            page_size=1000,
        )
        cur.execute("ANALYZE")
    conn.commit()
    return [{"id": c["id"], "application_id": c["application_id"], "name": c["name"]} for c in configs]
