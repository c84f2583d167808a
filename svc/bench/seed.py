"""Seeds a benchmark database through SQL: applications, configurations and their created events."""

import json

from psycopg2.extras import execute_values

from config_service.ids import new_id


def _created(entity_type: str, after: dict) -> tuple:
    """A version-1 event row, as the service's create statements build it."""
    application_id = after["id"] if entity_type == "application" else after["application_id"]
    return (new_id(), entity_type, after["id"], application_id, "created", 1, None, json.dumps(after),
            list(after), "bench", "bench-seed")


def seed(conn, applications: int, configurations_per_application: int) -> list[dict]:
    """Insert the rows with their version-1 events; returns the configurations' id and name."""
    apps, configs, events = [], [], []
    for a in range(applications):
        app = {"id": new_id(), "name": f"app-{a}", "comments": None}
        apps.append(app)
        events.append(_created("application", app))
        for c in range(configurations_per_application):
            config = {"id": new_id(), "application_id": app["id"], "name": f"conf-{c}", "comments": None,
                      "config": {"replicas": c, "feature": {"enabled": True}}}
            configs.append(config)
            events.append(_created("configuration", config))
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
            events,
            page_size=1000,
        )
        cur.execute("ANALYZE")
    conn.commit()
    return [{"id": c["id"], "application_id": c["application_id"], "name": c["name"]} for c in configs]
