"""SQL for the tokens table. A create, revoke or rotation is one statement that also
appends its events; the row holds the text's SHA-256, never the text."""

from config_service.repositories.events import APPEND

_SNAPSHOT_ARGS = "{t}.id, {t}.name, {t}.role, {t}.application_ids, {t}.acts_for_others, " \
                 "{t}.created_at, {t}.created_by, {t}.expires_at, {t}.revoked_at"
FIELDS = ["id", "name", "role", "application_ids", "acts_for_others", "created_at", "created_by",
          "expires_at", "revoked_at"]


def _snapshot(row: str) -> str:
    """A token as its events show it (migration 0011's token_snapshot)."""
    return f"token_snapshot({_SNAPSHOT_ARGS.format(t=row)})"


def _fields(row: str) -> str:
    """A token as the API shows it: the snapshot and last_used_at (NULL without a row)."""
    return (f"CASE WHEN {row}.id IS NOT NULL THEN "
            f"{_snapshot(row)} || jsonb_build_object('last_used_at', utc_text({row}.last_used_at)) END")


_CREATED_EVENT = f"""
    SELECT %(event_id)s, 'token', new.id, NULL, 'created', 1, NULL, {_snapshot("new")},
           '{{{",".join(FIELDS)}}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM new
"""

CREATE = f"""
WITH new AS (
    INSERT INTO tokens (id, name, role, application_ids, acts_for_others, created_at, created_by,
                        expires_at, secret_hash)
    SELECT %(id)s, %(name)s, %(role)s, %(application_ids)s, %(acts_for_others)s, now.t,
           %(token_id)s, coalesce(%(expires_at)s, now.t + interval '90 days'), %(secret_hash)s
      FROM (SELECT clock_timestamp() AS t) AS now
    RETURNING *
), event AS (
    {APPEND}
    {_CREATED_EVENT}
)
SELECT {_fields("new")} AS fields FROM new
"""

# Ends a token's life: a revocation (`grace` NULL) now, also one still in a rotation's
# grace period; a rotation after `grace` seconds, if the token has neither expired nor
# been revoked or rotated. No row: no such token; `fields` NULL: it had ended already.
_END = """
old AS (
    SELECT * FROM tokens WHERE id = %(id)s FOR UPDATE
), ended AS (
    UPDATE tokens t
       SET revoked_at = clock_timestamp() + make_interval(secs => coalesce(%(grace)s, 0)),
           version = t.version + 1
      FROM old
     WHERE t.id = old.id
       AND CASE WHEN %(grace)s::integer IS NULL THEN old.revoked_at IS NULL OR old.revoked_at > clock_timestamp()
                ELSE old.revoked_at IS NULL AND old.expires_at > clock_timestamp() END
 RETURNING t.*
)"""

_REVOKED_EVENT = f"""
    SELECT %(revoked_event_id)s, 'token', ended.id, NULL, 'revoked', ended.version,
           {_snapshot("old")}, {_snapshot("ended")}, '{{revoked_at}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM old, ended
"""

REVOKE = f"""
WITH {_END}, event AS (
    {APPEND}
    {_REVOKED_EVENT}
)
SELECT {_fields("ended")} AS fields, {_fields("old")} AS old FROM old LEFT JOIN ended ON true
"""

# The successor has the old token's name, role and scope, and a lifetime as long as the
# old one's; the old one ends after the grace period.
ROTATE = f"""
WITH {_END}, new AS (
    INSERT INTO tokens (id, name, role, application_ids, acts_for_others, created_at, created_by,
                        expires_at, secret_hash)
    SELECT %(id_new)s, ended.name, ended.role, ended.application_ids, ended.acts_for_others, now.t,
           %(token_id)s, now.t + (ended.expires_at - ended.created_at), %(secret_hash)s
      FROM ended, (SELECT clock_timestamp() AS t) AS now
    RETURNING *
), created AS (
    {APPEND}
    {_CREATED_EVENT.replace("%(event_id)s", "%(created_event_id)s")}
), revoked AS (
    {APPEND}
    {_REVOKED_EVENT}
)
SELECT {_fields("new")} AS fields, {_fields("old")} AS old FROM old LEFT JOIN new ON true
"""

SELECT = f"SELECT {_fields('t')} AS fields FROM tokens t WHERE id = %(id)s"
LIST = f"SELECT {_fields('t')} AS fields FROM tokens t ORDER BY id"
ANY = "SELECT EXISTS (SELECT 1 FROM tokens) AS any"

# What authenticating a request needs, times as seconds since the epoch.
CREDENTIALS = """
SELECT id, name, role, application_ids, acts_for_others, secret_hash,
       extract(epoch FROM expires_at)::float8 AS expires_at, extract(epoch FROM revoked_at)::float8 AS revoked_at,
       extract(epoch FROM last_used_at)::float8 AS last_used_at
  FROM tokens WHERE id = %(id)s
"""

# At most one write a minute per token, whichever worker asks.
TOUCH = """
UPDATE tokens SET last_used_at = clock_timestamp()
 WHERE id = %(id)s AND (last_used_at IS NULL OR last_used_at < clock_timestamp() - interval '1 minute')
"""

EXISTING_APPLICATIONS = "SELECT count(*) AS n FROM applications WHERE id = ANY(%(ids)s)"


class TokensRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def _fields(self, sql: str, params: dict) -> dict | None:
        self._cursor.execute(sql, params)
        return self._cursor.fetchone()

    def create(self, params: dict) -> dict:
        """The new token's fields; its `created` event appended."""
        return self._fields(CREATE, params)["fields"]

    def revoke(self, params: dict) -> dict | None:
        """{fields: the revoked token or None when it had ended already, old}; None: no such token."""
        return self._fields(REVOKE, params)

    def rotate(self, params: dict) -> dict | None:
        """{fields: the successor or None when the old token had ended already, old}; None: no such token."""
        return self._fields(ROTATE, params)

    def get(self, id: str) -> dict | None:
        row = self._fields(SELECT, {"id": id})
        return row and row["fields"]

    def all(self) -> list[dict]:
        self._cursor.execute(LIST)
        return [row["fields"] for row in self._cursor.fetchall()]

    def any(self) -> bool:
        return self._fields(ANY, {})["any"]

    def credentials(self, id: str) -> dict | None:
        return self._fields(CREDENTIALS, {"id": id})

    def touch(self, id: str) -> None:
        self._cursor.execute(TOUCH, {"id": id})

    def count_applications(self, ids: list[str]) -> int:
        return self._fields(EXISTING_APPLICATIONS, {"ids": ids})["n"]
