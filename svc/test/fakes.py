"""In-memory fakes of the unit of work, for unit tests of the services."""

import json


class FakeTable:
    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.rows: dict[str, dict] = {}

    def add(self, id, *values):
        self.rows[id] = {"id": id, **dict(zip(self.fields, values)), "version": 1}
        return dict(self.rows[id])

    def get_for_update(self, id):
        row = self.rows.get(id)
        return dict(row) if row else None

    def update(self, id, *values):
        row = self.rows[id]
        row.update(zip(self.fields[-len(values):], values), version=row["version"] + 1)
        return dict(row)

    def get_json(self, id):
        row = self.rows.get(id)
        return json.dumps(row) if row else None

    def list_json(self):
        return json.dumps(list(self.rows.values()))


class FakeEvents:
    def __init__(self) -> None:
        self.appended: list[dict] = []

    def append(self, event: dict) -> None:
        self.appended.append(event)


class FakeSchema:
    def __init__(self, versions: set[int]) -> None:
        self.versions = versions

    def applied_versions(self) -> set[int]:
        return set(self.versions)


class FakeUnitOfWork:
    def __init__(self, applied_versions: set[int] = frozenset()) -> None:
        self.applications = FakeTable(("name", "comments"))
        self.configurations = FakeTable(("application_id", "name", "comments", "config"))
        self.events = FakeEvents()
        self.schema = FakeSchema(set(applied_versions))
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
