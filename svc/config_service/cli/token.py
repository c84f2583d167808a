"""`pipenv run token create|list|revoke`: API tokens from the command line, for the first
one above all. Needs the owner's database access, like `migrate`: MIGRATION_DATABASE_URL
(else DATABASE_URL), or the local PostgreSQL (started if needed) when neither is set.
Pending migrations are applied first. Events are recorded with actor `cli:<user>`.

create prints the token's fields, then its text alone on the last line (shown once).
"""

import argparse
import getpass
import re
import sys
import time
from datetime import datetime, timedelta, timezone

from pydantic import ValidationError

from config_service.access.policy import ROLES
from config_service.audit.events import RequestContext
from config_service.cli.migrate import run_migrations
from config_service.db import local_postgres
from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import ServiceError
from config_service.ids import new_id
from config_service.models import ULID_PATTERN, TokenIn
from config_service.services import tokens
from config_service.settings import settings_or_report

COLUMNS = ("id", "name", "role", "application_ids", "acts_for_others", "expires_at", "revoked_at", "last_used_at")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="token", description="Create, list and revoke API tokens.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a token and print its text (once)")
    create.add_argument("--name", required=True, help="who or what uses it: a person or a system")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--application", action="append", dest="applications", metavar="ID",
                        help="limit a reader or writer to this application (repeatable)")
    create.add_argument("--acts-for-others", action="store_true", help="allow it to name the actor in X-Actor")
    create.add_argument("--expires-in", type=int, default=90, metavar="DAYS", help="1-366 days (default 90)")
    commands.add_parser("list", help="every token's fields (never a text)")
    revoke = commands.add_parser("revoke", help="revoke a token now")
    revoke.add_argument("id")
    return parser


def cli_context() -> RequestContext:
    return RequestContext(request_id=new_id(), actor=f"cli:{getpass.getuser()}")


def _describe(fields: dict) -> str:
    return "  ".join(f"{name}={fields[name]}" for name in COLUMNS if fields.get(name) is not None)


def run(args: argparse.Namespace, uow: UnitOfWork) -> int:
    if args.command == "create":
        if not 1 <= args.expires_in <= 366:
            print("token: --expires-in must be 1 to 366 days", file=sys.stderr)
            return 2
        expires_at = datetime.now(timezone.utc) + timedelta(days=args.expires_in)
        try:
            data = TokenIn(name=args.name, role=args.role, application_ids=args.applications,
                           acts_for_others=args.acts_for_others, expires_at=expires_at.isoformat())
        except ValidationError as exc:
            problems = "; ".join(error["msg"] for error in exc.errors(include_url=False))
            print(f"token: {problems}", file=sys.stderr)
            return 2
        created = tokens.create(uow, data, cli_context())
        print(f"created {_describe(created)}", file=sys.stderr)
        print(created["token"])
    elif args.command == "list":
        for fields in tokens.list_all(uow):
            print(_describe(fields))
    else:
        if not re.fullmatch(ULID_PATTERN, args.id):
            print("token: the id must be a ULID", file=sys.stderr)
            return 2
        print(f"revoked {_describe(tokens.revoke(uow, args.id.upper(), cli_context()))}")
    return 0


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage
        return 2 if exc.code else 0
    settings = settings_or_report()
    if settings is None:
        return 2
    url = settings.migration_url
    if url is None:
        url = local_postgres.start(settings.local_postgres_dir, cleanup_mode=None).get_uri()
    if not run_migrations(url, settings.db_connect_timeout, report=lambda line: None):
        return 1
    try:
        pool = ConnectionPool(url, 1, 1, connect_timeout=settings.db_connect_timeout)
    except ServiceError as exc:
        print(f"token: {exc.message}", file=sys.stderr)
        return 1
    try:
        return run(args, UnitOfWork(pool, time.monotonic() + settings.db_pool_timeout))
    except ServiceError as exc:
        print(f"token: {exc.message}", file=sys.stderr)
        return 1
    finally:
        pool.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
