"""The real service in a subprocess (`python -m config_service.cli.start`), for end-to-end tests."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from test import tokens

SVC_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str | None, **settings: str) -> None:
        self._owner_url = settings.get("migration_database_url") or database_url
        self._settings = {k.upper(): str(v) for k, v in settings.items()}
        self.headers: dict[str, str] = {}  # a writer token that may name actors, once serving
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "WEB_", "PORT", "DATABASE_URL"))}
        env.update(PORT=str(self.port), LOG_LEVEL="WARNING")
        if database_url:
            env["DATABASE_URL"] = database_url
        env.update({k.upper(): str(v) for k, v in settings.items()})
        # A file, not a pipe: a chatty server must never block on a full pipe.
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "config_service.cli.start"],
            cwd=SVC_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # as a service manager starts it (see cli/scheduling.py)
        )

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def issue_token(self, role: str = "writer", **fields) -> str:
        """A new token's text, made on the server's database (migrated by now) with the
        owner's rights, or with the `token` command on the local PostgreSQL."""
        if self._owner_url is not None:
            return tokens.issue(self._owner_url, role, **fields)["token"]
        args = ["--name", f"test-{role}", "--role", role] + (["--acts-for-others"] if fields.get("acts_for_others") else [])
        env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
        env["LOCAL_POSTGRES_DIR"] = self._settings["LOCAL_POSTGRES_DIR"]
        made = subprocess.run([sys.executable, "-m", "config_service.cli.token", "create", *args], cwd=SVC_DIR,
                              env=env, text=True, capture_output=True, timeout=60, check=True)
        return tokens.remember(made.stdout.splitlines()[-1])

    def wait_until_serving(self, timeout: float = 30) -> "LiveServer":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"service exited early:\n{self.output()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    if self._settings.get("AUTH", "tokens") != "off":
                        self.headers = tokens.bearer(self.issue_token("writer", acts_for_others=True))
                    return self
            except httpx.TransportError:
                time.sleep(0.05)  # polling for the port to open, not standing in for a result
        raise TimeoutError("service did not start in time")

    def terminate(self, timeout: float = 15) -> tuple[int, str]:
        """SIGTERM, then the exit code and everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        return self.process.returncode, self.output()

    def __enter__(self) -> "LiveServer":
        try:
            return self.wait_until_serving()
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc_info) -> None:
        try:
            if self.process.poll() is None:
                self.terminate()
        finally:
            self.log.close()
