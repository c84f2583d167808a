import json
import logging
import logging.config

import pytest

from config_service.log_format import logging_config, request_id_var


@pytest.fixture
def configured(capsys):
    def configure(log_format: str) -> None:
        logging.config.dictConfig(logging_config(log_format, "INFO"))

    yield configure
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False, "root": {"handlers": []}})


def emit(name: str, message: str, request_id: str | None = None) -> None:
    token = request_id_var.set(request_id) if request_id else None
    try:
        logging.getLogger(name).info(message, "x")
    finally:
        if token:
            request_id_var.reset(token)


def test_text_lines_carry_the_request_id_for_app_and_uvicorn(configured, capsys):
    configured("text")
    emit("uvicorn.access", "GET /%s 200", "req-1")
    emit("config_service.api", "hello %s")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].endswith("INFO uvicorn.access [req-1] GET /x 200")
    assert lines[1].endswith("INFO config_service.api [-] hello x")


def test_json_is_one_object_per_line(configured, capsys):
    configured("json")
    emit("uvicorn.error", "boom %s", "req-2")
    try:
        raise ValueError("inner")
    except ValueError:
        logging.getLogger("config_service").exception("failed")
    first, *rest = capsys.readouterr().err.strip().split("\n")
    entry = json.loads(first)
    assert (entry["level"], entry["logger"], entry["request_id"], entry["message"]) == (
        "INFO", "uvicorn.error", "req-2", "boom x"
    )
    assert entry["time"].endswith("+00:00")
    assert "ValueError: inner" in json.loads(rest[0])["exc_info"] and len(rest) == 1
