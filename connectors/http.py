"""Outbound HTTP shared by connectors: one pooled client per process, and the mapping from an HTTP answer to the
delivery engine's decision (success, retry, dead letter)."""

import base64
import email.utils
import http.cookiejar
import time
from urllib.parse import urljoin, urlsplit

import httpx

from .base import PushResult

_client: httpx.Client | None = None


def client() -> httpx.Client:
    global _client
    if _client is None:
        # One pool for every system, so no cookie may be kept: a session cookie of one system must never be sent to
        # another (cookies ignore ports). Connectors that need a session (SAP's CSRF) carry it themselves.
        no_cookies = http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        _client = httpx.Client(follow_redirects=False, limits=httpx.Limits(max_connections=50), cookies=no_cookies)
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


class RemoteError(Exception):
    """A platform request that failed, already judged: ``permanent`` (the same request cannot succeed: dead-letter),
    else transient, with ``retry_after`` seconds when the platform said how long to wait."""

    def __init__(
        self,
        status: int | None,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        body: object = None,
    ) -> None:
        super().__init__(message)
        self.status, self.permanent, self.retry_after = status, permanent, retry_after
        self.body = body  # the parsed error answer, for platforms that look inside it

    def result(self) -> PushResult:
        return PushResult(
            ok=False, status=self.status, permanent=self.permanent, retry_after=self.retry_after, error=str(self)[:500]
        )


def error_of(response: httpx.Response) -> RemoteError:
    """The generic judgement of a non-2xx answer; platforms refine it (their own rate-limit signals)."""
    status = response.status_code
    wait = retry_after_seconds(response.headers.get("Retry-After")) if status in (429, 503) else None
    permanent = 400 <= status < 500 and status not in TRANSIENT_4XX
    try:
        body = response.json()
    except ValueError:
        body = None
    return RemoteError(
        status, f"HTTP {status}: {response.text[:500]}", permanent=permanent, retry_after=wait, body=body
    )


def result_of(response: httpx.Response, remote_id: str | None = None) -> PushResult:
    if response.is_success:
        return PushResult(ok=True, status=response.status_code, remote_id=remote_id)
    return error_of(response).result()


def failure_of(exc: Exception) -> PushResult:
    """A request that got no answer (refused, reset, timed out): transient."""
    return PushResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class OutsideBaseUrl(RemoteError):
    def __init__(self, url: str) -> None:
        super().__init__(None, f"refused to call {url}: outside the system's base URL", permanent=True)


class ApiClient:
    """Requests to one system, and only to it: every URL (including pagination links the platform hands back) must
    lie under the configured base URL. Non-2xx answers and network failures raise ``RemoteError``, judged by
    ``judge`` (the platform's own reading of its error and rate-limit signals)."""

    def __init__(self, base_url: str, headers: dict[str, str], *, timeout: float = 15.0, judge=error_of) -> None:
        if not base_url:
            raise RemoteError(None, "the system has no base URL configured", permanent=True)
        self.base_url = base_url.rstrip("/") + "/"
        self.headers, self.timeout, self.judge = headers, timeout, judge
        self.last_response: httpx.Response | None = None

    def url(self, path_or_url: str) -> str:
        base_path = urlsplit(self.base_url).path
        if "://" in path_or_url or path_or_url.startswith(base_path):
            url = urljoin(self.base_url, path_or_url)  # a link the platform handed back
        else:
            url = urljoin(self.base_url, path_or_url.lstrip("/"))
        base, target = urlsplit(self.base_url), urlsplit(url)
        inside = target.path == base.path.rstrip("/") or target.path.startswith(base.path)
        if (target.scheme, target.netloc) != (base.scheme, base.netloc) or not inside:
            raise OutsideBaseUrl(url)
        return url

    def request(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> httpx.Response:
        url = self.url(path)
        try:
            response = client().request(
                method, url, headers={**self.headers, **(headers or {})}, timeout=self.timeout, **kwargs
            )
        except httpx.HTTPError as exc:
            raise RemoteError(None, f"{type(exc).__name__}: {exc}") from exc
        self.last_response = response
        if not response.is_success:
            raise self.judge(response)
        return response

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)
