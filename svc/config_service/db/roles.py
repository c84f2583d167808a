"""The database roles of least privilege (created by migration 0005) and checks on them."""

import psycopg2

from config_service.db import local_postgres

APP_ROLE = "config_service_app"
AUDITOR_ROLE = "config_service_auditor"

ENABLE_LOGINS = f"ALTER ROLE {APP_ROLE} LOGIN; ALTER ROLE {AUDITOR_ROLE} LOGIN"

# Who the connection is, and whether it could rewrite the log despite the triggers
# (a superuser, or a member of the role that owns config_events, may disable them).
PRIVILEGES = """
SELECT current_user AS role, r.rolsuper AS superuser, pg_has_role(current_user, c.relowner, 'USAGE') AS owner
  FROM pg_roles r, pg_class c
 WHERE r.rolname = current_user AND c.oid = 'config_events'::regclass
"""


def enable_local_logins(owner_url: str) -> None:
    """Let the app and auditor roles log in (the local PostgreSQL trusts its Unix socket)."""
    local_postgres.execute(owner_url, ENABLE_LOGINS)


def protection_warning(url: str, connect_timeout: int = 10) -> str | None:
    """A sentence when the role of `url` could alter the audit log, else None."""
    conn = psycopg2.connect(url, connect_timeout=connect_timeout)
    try:
        with conn.cursor() as cur:
            cur.execute(PRIVILEGES)
            role, superuser, owner = cur.fetchone()
    finally:
        conn.close()
    if not (superuser or owner):
        return None
    why = "is a superuser" if superuser else "owns the tables"
    return (
        f"the service's database role {role!r} {why}: the audit log is not protected from the service's "
        f"own role; serve as a login role granted {APP_ROLE} (see svc/docs/operations.md, Database roles)"
    )
