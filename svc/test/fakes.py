"""In-memory fakes of the unit of work, for unit tests of the services."""

import json


class FakeTable:
    def __init__(self, fields: tuple[str, ...], derived: dict | None = None) -> None:
        self.fields = fields
        self.derived = derived or {}  # columns the real SQL computes, such as a count
        self.rows: dict[str, dict] = {}

    def add(self, id, *values):
        self.rows[id] = {"id": id, **dict(zip(self.fields, values)), "version": 1, **self.derived}
        return dict(self.rows[id])

    add_at_commit = add

    def get_for_update(self, id):
        row = self.rows.get(id)
        return dict(row) if row else None

    def update(self, id, *values):
        row = self.rows[id]
        row.update(zip(self.fields[-len(values):], values), version=row["version"] + 1)
        return dict(row)

    def get_json(self, id):
        row = self.rows.get(id)
        return {"body": json.dumps(row), **row} if row else None

    def count_configurations(self, id):
        return self.rows[id]["configurations"]

    def list_json(self):
        return json.dumps(list(self.rows.values()))


class FakeEvents:
    def __init__(self) -> None:
        self.appended: list[dict] = []

    def append(self, event: dict) -> None:
        self.appended.append(event)


class FakeHistory:
    def __init__(self, events: FakeEvents) -> None:
        self.events = events

    def at_version(self, entity_type, id, version):
        for event in self.events.appended:
            if (event["entity_type"], event["entity_id"], event["version"]) == (entity_type, id, version):
                return {"after": event["after"], "body": json.dumps(event["after"])}
        return None


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.applications = FakeTable(("name", "comments"), {"configurations": 0})
        self.configurations = FakeTable(("application_id", "name", "comments", "config"))
        self.events = FakeEvents()
        self.history = FakeHistory(self.events)
        self.committed = False
        self.began = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def begin(self) -> None:
        self.began = True

    def commit(self) -> None:
        self.committed = True
