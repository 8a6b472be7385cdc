"""Logging helpers: every log line carries the request id (``request=<hex>``) that the
audit trail, the ``X-Request-ID`` header and the error page show, so a user's "错误编号" finds
the traceback in the log."""

from __future__ import annotations

import logging

from renda.audit import context


class RequestIdFilter(logging.Filter):
    """Sets ``record.request_id``: the id of the request being served (``-`` outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        rid = getattr(request, "request_id", None) or context.bound_request_id() or "-"
        record.request_id = rid
        return True
