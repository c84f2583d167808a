"""SQL about the schema itself: which migrations are applied."""

APPLIED_VERSIONS = """
SELECT coalesce(array_agg(version), '{}') AS versions
  FROM migrations
 WHERE to_regclass('migrations') IS NOT NULL
"""
MIGRATIONS_TABLE_EXISTS = "SELECT to_regclass('migrations') IS NOT NULL AS present"


class SchemaRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def applied_versions(self) -> set[int]:
        self._cursor.execute(MIGRATIONS_TABLE_EXISTS)
        if not self._cursor.fetchone()["present"]:
            return set()
        self._cursor.execute(APPLIED_VERSIONS)
        return set(self._cursor.fetchone()["versions"])
