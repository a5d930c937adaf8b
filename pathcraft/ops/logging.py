"""Structured logs (structlog): readable in development, one JSON object per line in production."""

from __future__ import annotations

import logging
import logging.config
import time

import structlog


def configure_logging(json_logs: bool, level: str = "INFO") -> None:
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = (
        structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer(colors=False)
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structured": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
                    "foreign_pre_chain": shared,
                }
            },
            "filters": {"redact_paths": {"()": RedactPaths}},
            "handlers": {
                "console": {
                    "class": "logging.StreamHandler",
                    "formatter": "structured",
                    "filters": ["redact_paths"],
                }
            },
            "root": {"handlers": ["console"], "level": level},
            "loggers": {
                "django.server": {"level": "WARNING"},
                "django.db.backends": {"level": "WARNING"},
            },
        }
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class RedactPaths(logging.Filter):
    """Django's own request warnings ("Not Found: /feedback/answer/<token>/") carry the path as an argument:
    the same redaction as the request log, for every log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                _safe_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        if isinstance(record.msg, str) and record.msg.startswith("/"):
            record.msg = _safe_path(record.msg)
        return True


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration; never query strings (they may hold tokens)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.log = structlog.get_logger("pathcraft.request")

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        self.log.info(
            "request",
            method=request.method,
            path=_safe_path(request.path),
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=getattr(user, "pk", None),
        )
        return response


def _safe_path(path: str) -> str:
    # Respondent links carry their secret in the path; keep it out of the logs.
    parts = path.split("/")
    return "/".join("<token>" if len(p) >= 20 else p for p in parts)
