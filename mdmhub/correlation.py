"""The correlation ID of the current request or task, carried in a context variable."""

import re
import uuid
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("correlation_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def get_correlation_id() -> str:
    return _current.get()


def set_correlation_id(value: str) -> None:
    _current.set(value)


def accept_correlation_id(value: str | None) -> str:
    """Keep a caller's ID when it is safe to log and forward; otherwise make a new one."""
    if value and _VALID.match(value):
        return value
    return new_correlation_id()
