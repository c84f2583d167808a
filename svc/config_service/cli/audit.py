"""`pipenv run audit verify|checkpoint|export|verify-file`.

verify: exit 0 with a one-line summary when the log is intact, 1 naming the first bad
event (or entity) and why, 2 for a usage or connection error. Runs the database's own
config_events_verify(), which streams the events (bounded memory).
checkpoint: records and prints, alone on its last line, a string that commits to the
whole log as it stands; keep it outside the database.
export [--after SEQ] [--application ID] [--output FILE]: the log as NDJSON (services/audit_export.py).
verify-file FILE [--checkpoint C]: checks an export without the database (audit/verify_export.py).
"""

import argparse
import re
import sys

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.audit import verify_export
from config_service.db import local_postgres
from config_service.errors import ServiceError
from config_service.models import ULID_PATTERN
from config_service.repositories.audit_log import AuditLogRepository
from config_service.services import audit_export
from config_service.settings import settings_or_report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="audit", description="Prove that config_events was not altered.")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="check every hash, link, version and row")
    verify.add_argument("--checkpoint", help="a string printed earlier by `audit checkpoint`")
    commands.add_parser("checkpoint", help="record and print a string committing to the log as it stands")
    export = commands.add_parser("export", help="write the log as NDJSON, with its closing checkpoint")
    export.add_argument("--after", type=int, default=0, metavar="SEQ", help="only events with a higher seq")
    export.add_argument("--application", metavar="ID", help="only this application's events")
    export.add_argument("--output", metavar="FILE", help="default: standard output")
    verify_file = commands.add_parser("verify-file", help="check an export without the database")
    verify_file.add_argument("file")
    verify_file.add_argument("--checkpoint", help="a string printed earlier by `audit checkpoint`")
    return parser


def export(url: str, connect_timeout: int, after: int, application: str | None, output: str | None) -> int:
    """Stream the export to `output` (or stdout); exit 2 when the database cannot be read."""
    if application is not None and not re.fullmatch(ULID_PATTERN, application):
        print("audit: --application must be a ULID", file=sys.stderr)
        return 2
    app_id = application.upper() if application else None
    try:
        target = open(output, "w", encoding="utf-8", newline="\n") if output else sys.stdout
    except OSError as exc:
        print(f"audit: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        for chunk in audit_export.chunks(url, connect_timeout, after, app_id):
            target.write(chunk)
    except ServiceError as exc:
        print(f"audit: {exc.message}", file=sys.stderr)
        return 2
    finally:
        if output:
            target.close()
    return 0


def _describe(problem: dict) -> str:
    where = f"seq {problem['seq']}" if problem["seq"] is not None else "entity"
    if problem["entity_id"]:
        where += f" ({problem['entity_type']} {problem['entity_id']})"
    return f"audit verify: BROKEN at {where}: {problem['problem']}"


def run(command: str, checkpoint: str | None, url: str, connect_timeout: int = 10) -> int:
    try:
        conn = psycopg2.connect(url, connect_timeout=connect_timeout, cursor_factory=RealDictCursor)
    except psycopg2.Error as exc:
        print(f"audit: cannot reach the database: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 2
    try:
        with conn, conn.cursor() as cur:
            log = AuditLogRepository(cur)
            if command == "checkpoint":
                print(log.checkpoint())
                return 0
            problem = log.first_problem(checkpoint)
            if problem is not None:
                print(_describe(problem))
                return 1
            summary = log.summary()
            against = f", matches checkpoint {checkpoint[:24]}..." if checkpoint else ""
            print(f"audit verify: intact: {summary['events']} events up to seq {summary['last_seq'] or 0}{against}")
            return 0
    except psycopg2.errors.InvalidParameterValue as exc:
        print(f"audit: {exc.diag.message_primary}", file=sys.stderr)
        return 2
    except psycopg2.Error as exc:
        print(f"audit: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        conn.close()


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage
        return 2 if exc.code else 0
    if args.command == "verify-file":  # no database at all
        return verify_export.main([args.file] + (["--checkpoint", args.checkpoint] if args.checkpoint else []))
    settings = settings_or_report()
    if settings is None:
        return 2
    url = settings.migration_url or local_postgres.start(settings.local_postgres_dir).get_uri()
    if args.command == "export":
        return export(url, settings.db_connect_timeout, args.after, args.application, args.output)
    return run(args.command, getattr(args, "checkpoint", None), url, settings.db_connect_timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
