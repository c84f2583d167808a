import pytest
from pydantic import ValidationError

from config_service.settings import Settings, describe_error


def make(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_defaults_follow_the_contract(monkeypatch):
    for name in ("DATABASE_URL", "HOST", "PORT", "WEB_CONCURRENCY", "MAX_BODY_BYTES", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = make()
    assert settings.database_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.log_level == "INFO"
    assert settings.web_concurrency == 1
    assert settings.max_body_bytes == 1_048_576
    assert settings.feed_max_wait_seconds == 60
    assert settings.pool_min_size == settings.pool_max_size == settings.executor_threads == 8


@pytest.mark.parametrize(("workers", "threads"), [(1, 8), (2, 4), (3, 4), (16, 4)])
def test_unset_threads_are_shared_out_among_the_workers(workers, threads):
    assert make(web_concurrency=workers).executor_threads == threads
    assert make(web_concurrency=workers, db_threads=6).executor_threads == 6


def test_environment_is_read(monkeypatch):
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@localhost:5432/db")
    settings = make()
    assert settings.port == 9001
    assert settings.log_level == "DEBUG"
    assert settings.database_url == "postgresql://u:p@localhost:5432/db"


@pytest.mark.parametrize("port", ["eighty", "0", "70000"])
def test_bad_port_names_the_variable(monkeypatch, port):
    monkeypatch.setenv("PORT", port)
    with pytest.raises(ValidationError) as caught:
        make()
    message = describe_error(caught.value)
    assert message.startswith("invalid settings: PORT: ")
    assert "\n" not in message


@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql://host:notaport/db", "nonsense"])
def test_bad_database_url_names_the_variable(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ValidationError) as caught:
        make()
    assert describe_error(caught.value).startswith("invalid settings: DATABASE_URL: ")


def test_pool_sizes_default_to_the_threads_and_must_be_ordered():
    settings = make(db_threads=7)
    assert (settings.pool_min_size, settings.pool_max_size) == (7, 7)
    assert make(db_threads=7, db_pool_min_size=2).pool_min_size == 2
    with pytest.raises(ValidationError, match="DB_POOL_MIN_SIZE must not exceed"):
        make(db_pool_min_size=5, db_pool_max_size=2)
