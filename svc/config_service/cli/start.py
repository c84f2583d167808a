"""`pipenv run start`: settings, a local PostgreSQL 16 when DATABASE_URL is unset, migrations, uvicorn."""

import logging
import logging.config
import os
import signal
import socket
import sys
import time

import psycopg2
import uvicorn
from uvicorn.supervisors import Multiprocess

from config_service.db import local_postgres, roles
from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork
from config_service.services import tokens
from config_service.log_format import logging_config
from config_service.cli import affinity
from config_service.cli.migrate import run_migrations
from config_service.cli.scheduling import lower_session_priority
from config_service.settings import Settings, settings_or_report

log = logging.getLogger("config_service.cli.start")
APP = "config_service.main:create_app"


def listening_socket(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    """A bound TCP socket with TCP_NODELAY, which accepted sockets inherit on Linux (without
    it keep-alive responses wait for Nagle's algorithm, ~40 ms each, uvicorn issue 3149)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _own_listening_socket(host: str, port: int, cpu: int | None = None) -> list[socket.socket]:
    if cpu is not None and (refused := affinity.pin(cpu)):  # before the worker starts a thread
        log.warning("worker left where the kernel puts it (%s)", refused)
    return [listening_socket(host, port, reuse_port=True)]


class WorkerSockets(list):
    """The sockets uvicorn hands each worker process it starts (or restarts): unpickled
    in the worker, this becomes a listening socket of the worker's own on the same
    address (SO_REUSEPORT), so the kernel spreads new connections evenly over the workers.

    With one shared socket, whichever worker woke first accepted a whole burst of
    connections: 32 of wrk's 32 on one of two workers in about one run in four, which then
    served less than a single worker.

    The parent pickles this once for each worker it starts, so that is also where each
    worker is given its CPU (`cpus`; None: the kernel places the workers)."""

    def __init__(self, host: str, port: int, cpus: affinity.WorkerCpus | None = None) -> None:
        super().__init__()
        self.host, self.port, self.cpus = host, port, cpus

    def __reduce__(self):
        cpu = self.cpus.next() if self.cpus is not None else None
        return _own_listening_socket, (self.host, self.port, cpu)


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        APP,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        log_level=settings.log_level.lower(),
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=settings.access_log,
        timeout_graceful_shutdown=10,
    )


FIRST_TOKEN = (
    "no API token exists yet: every /api/v1 request is refused until you create one, e.g. "
    "`pipenv run token create --name admin --role admin` (it prints the token once)"
)
AUTH_OFF = (
    "AUTH=off: requests are not authenticated; anyone who can reach {host}:{port} can read and "
    "change every configuration, and X-Actor is recorded as sent. For local experiments only"
)


def access_advice(settings: Settings) -> str | None:
    """The one warning a new user needs about access: AUTH=off, or how to create the first token."""
    if settings.auth == "off":
        return AUTH_OFF.format(host=settings.host, port=settings.port)
    pool = ConnectionPool(settings.migration_url, 1, 1, connect_timeout=settings.db_connect_timeout)
    try:
        exists = tokens.any_exists(UnitOfWork(pool, time.monotonic() + settings.db_pool_timeout))
    finally:
        pool.close()
    return None if exists else FIRST_TOKEN


def _stop_requested(signum, frame) -> None:
    # uvicorn re-raises the signal that stopped it once shutdown is done; a handler
    # (instead of the default, which kills) lets us stop PostgreSQL and exit 0.
    log.info("shut down on signal %s", signal.Signals(signum).name)


def serve(settings: Settings) -> None:
    config = uvicorn_config(settings)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop_requested)
    cpus = affinity.usable_cpus() if settings.worker_cpu_affinity == "auto" else []
    if config.workers > 1:
        # Each worker binds its own socket; a taken address fails here, once.
        listening_socket(config.host, config.port).close()
        choice = affinity.WorkerCpus(cpus) if len(cpus) > 1 else None
        if choice is not None:
            log.info("each worker runs on one of %d CPUs, in turn "
                     "(WORKER_CPU_AFFINITY=off lets the kernel move them)", len(cpus))
        Multiprocess(config, sockets=WorkerSockets(config.host, config.port, choice)).run()
    else:
        if cpus:
            log.info("CPU of the worker: %s", affinity.pin_this_process(cpus))
        uvicorn.Server(config).run()


def main() -> int:
    settings = settings_or_report()
    if settings is None:
        return 2
    logging.config.dictConfig(logging_config(settings.log_format, "INFO"))
    server = None
    if settings.database_url is None:
        try:
            server = local_postgres.start(settings.local_postgres_dir, cleanup_mode=None)
        except local_postgres.LocalPostgresError as exc:
            print(f"start: {exc}", file=sys.stderr)
            return 1
        # Migrations run as the owner, the service as the least-privileged app role; the
        # workers read settings from the environment too.
        os.environ["MIGRATION_DATABASE_URL"] = server.get_uri()
        os.environ["DATABASE_URL"] = local_postgres.with_user(server.get_uri(), roles.APP_ROLE)
        settings = Settings()
    try:
        if not run_migrations(settings.migration_url, settings.db_connect_timeout, log.info):
            return 1
        if server is not None:
            roles.enable_local_logins(settings.migration_url)
        try:
            warning = roles.protection_warning(settings.database_url, settings.db_connect_timeout)
        except psycopg2.Error as exc:
            print(f"start: cannot connect as the service's role: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
            return 1
        if warning:
            log.warning(warning)
        advice = access_advice(settings)
        if advice:
            log.warning(advice)
        log.info("scheduling priority of the service's session: %s", lower_session_priority(settings.autogroup_nice))
        try:
            serve(settings)
        except OSError as exc:  # the address is taken (several workers bind it themselves)
            print(f"start: cannot listen on {settings.host}:{settings.port}: {exc.strerror}", file=sys.stderr)
            return 1
        return 0
    finally:
        if server is not None:
            log.info("stopping the local PostgreSQL")
            local_postgres.stop(server)


if __name__ == "__main__":
    sys.exit(main())
