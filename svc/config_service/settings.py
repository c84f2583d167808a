"""Typed settings read from the environment and svc/.env."""

import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from psycopg2.extensions import parse_dsn
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SVC_DIR = Path(__file__).resolve().parent.parent
# Executor threads per worker when DB_THREADS is unset: 8 for one worker, 4 each for more.
# Measured on 2 cores: one worker served 10-25% more with 8 than with 4; two workers with
# 8 each showed a p99 of 60-160 ms (with 4 each: 20-30 ms).
THREADS_FOR_ONE_WORKER = 8
MIN_THREADS_PER_WORKER = 4


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=SVC_DIR / ".env", env_ignore_empty=True, extra="ignore", frozen=True
    )

    database_url: str | None = None
    migration_database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    access_log: bool = False
    web_concurrency: int = Field(default=1, ge=1, le=64)
    autogroup_nice: int = Field(default=5, ge=0, le=19)
    worker_cpu_affinity: Literal["auto", "off"] = "auto"
    db_threads: int | None = Field(default=None, ge=1, le=256)
    db_pool_min_size: int | None = Field(default=None, ge=0, le=256)
    db_pool_max_size: int | None = Field(default=None, ge=1, le=256)
    db_pool_timeout: float = Field(default=5.0, gt=0, le=300)
    db_statement_timeout_ms: int = Field(default=5000, ge=1)
    db_connect_timeout: int = Field(default=3, ge=1, le=300)
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    require_if_match: bool = False
    auth: Literal["tokens", "off"] = "tokens"
    sse_keepalive_seconds: float = Field(default=15.0, gt=0, le=15)
    feed_max_wait_seconds: float = Field(default=60.0, ge=0, le=60)
    local_postgres_dir: Path = SVC_DIR / ".data" / "postgres"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("auth", "worker_cpu_affinity", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_log_format(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL")
        try:
            urlsplit(value).port  # raises ValueError for a port that is not a number
            parse_dsn(value)
        except Exception as exc:  # psycopg2 raises ProgrammingError with libpq's message
            raise ValueError(f"not a valid PostgreSQL URL ({str(exc).strip()})") from None
        return value

    @model_validator(mode="after")
    def _check_pool_bounds(self) -> "Settings":
        if self.pool_min_size > self.pool_max_size:
            raise ValueError("DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE")
        return self

    @property
    def migration_url(self) -> str | None:
        """The owner's connection for migrations (MIGRATION_DATABASE_URL, else DATABASE_URL)."""
        return self.migration_database_url or self.database_url

    @property
    def executor_threads(self) -> int:
        """DB_THREADS, or 8 shared out among the workers and at least 4 each."""
        return self.db_threads or max(MIN_THREADS_PER_WORKER, THREADS_FOR_ONE_WORKER // self.web_concurrency)

    @property
    def pool_max_size(self) -> int:
        return self.db_pool_max_size or self.executor_threads

    @property
    def pool_min_size(self) -> int:
        if self.db_pool_min_size is None:
            return self.pool_max_size
        return self.db_pool_min_size


def describe_error(error: ValidationError) -> str:
    """One line naming each bad variable, for start-up failures."""
    parts = []
    for item in error.errors(include_url=False, include_input=False):
        name = "_".join(str(part) for part in item["loc"]).upper() or "settings"
        parts.append(f"{name}: {item['msg']}")
    return "invalid settings: " + "; ".join(parts)


def settings_or_report() -> Settings | None:
    """For the commands: the settings, or None after printing the one-line error (exit 2)."""
    try:
        return Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
