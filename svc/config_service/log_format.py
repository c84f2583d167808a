"""One log format for the app and uvicorn, with the request id on every line about a request.

`LOG_FORMAT=text` (default): `time LEVEL logger [request-id] message`.
`LOG_FORMAT=json`: one JSON object per line (time, level, logger, request_id, message, exc_info).
"""

import json
import logging
from contextvars import ContextVar
from datetime import datetime, timezone

from config_service.access import token_text

# Set by the request-context middleware for the request's task (and copied into its
# database worker thread); "-" outside any request.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RedactTokens(logging.Filter):
    """No token's secret reaches a log line, whoever logs it (uvicorn's access log of a
    URL that holds one included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if token_text.PREFIX in message:
            record.msg, record.args = token_text.redact(message), ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(log_format: str, level: str) -> dict:
    """A dictConfig for the root logger, ours and uvicorn's (uvicorn applies it in each worker)."""
    formatter = (
        {"()": JsonFormatter} if log_format == "json" else {"format": TEXT_FORMAT}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "default", "filters": ["request_id", "redact"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}, "redact": {"()": RedactTokens}},
        "formatters": {"default": formatter},
        "handlers": {"default": {**handler, "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "config_service")
        },
    }
