"""Outbound HTTP shared by connectors: one pooled client per process, and the mapping from an HTTP answer to the
delivery engine's decision (success, retry, dead letter)."""

import email.utils
import time

import httpx

from .base import PushResult

_client: httpx.Client | None = None


def client() -> httpx.Client:
    global _client
    if _client is None:
        _client = httpx.Client(follow_redirects=False, limits=httpx.Limits(max_connections=50))
    return _client


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


# 408 and 425 are the client's timing, 429 the rate limit; everything else in 4xx is what we sent, which the same
# request will not fix (dead-letter at once, so a steward sees it). 5xx and network errors are transient.
TRANSIENT_4XX = {408, 425, 429}


def result_of(response: httpx.Response, remote_id: str | None = None) -> PushResult:
    status = response.status_code
    if 200 <= status < 300:
        return PushResult(ok=True, status=status, remote_id=remote_id)
    error = f"HTTP {status}: {response.text[:500]}"
    wait = retry_after_seconds(response.headers.get("Retry-After")) if status in (429, 503) else None
    permanent = 400 <= status < 500 and status not in TRANSIENT_4XX
    return PushResult(ok=False, status=status, permanent=permanent, retry_after=wait, error=error)


def failure_of(exc: Exception) -> PushResult:
    """A request that got no answer (refused, reset, timed out): transient."""
    return PushResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
