"""What every platform simulator shares: a real threaded HTTP server, routing, knobs (latency, error rate, rate
limits, a queue of forced answers), a clock tests can move, a request log, and webhook emission.

A platform's ``simulator.py`` subclasses ``Simulator``: it declares routes, checks authentication the way the
platform does, shapes errors and rate-limit answers like the platform, and keeps its objects. Simulators implement
the documented subset the connectors use (../shared/PLATFORMS.md), not the whole platform.
"""

import abc
import json
import queue
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx


@dataclass
class Knobs:
    latency: float = 0.0  # seconds added to every answer
    error_rate: float = 0.0  # share of requests answered with a transient server error
    rate_limit: int | None = None  # requests allowed per ``rate_window`` seconds; then the platform's 429
    rate_window: float = 60.0
    forced: list[int] = field(default_factory=list)  # statuses answered to the next requests, in order
    seed: int = 7


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # named groups of the route

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> object:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclass
class Reply:
    status: int
    body: object = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    status: int
    at: float


class Simulator(abc.ABC):
    name = ""
    api_prefix = ""  # the API root under the server, e.g. "/api/v2"

    def __init__(self, port: int = 0, knobs: Knobs | None = None, host: str = "127.0.0.1") -> None:
        self.knobs = knobs or Knobs()
        self.rng = random.Random(self.knobs.seed)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # notified after every answered request
        self.requests: list[Seen] = []
        self.clock_offset = 0.0
        self.frozen: float | None = None  # a stopped clock (``freeze``)
        self._window: list[float] = []
        self.webhooks: list[dict] = []  # {"url", "secret", ...} targets of emitted events
        self.emitted: list[dict] = []  # {"url", "status" | "error", "body"}
        self.events: list[dict] = []  # every event payload the platform produced, subscribed or not
        self._outbox: queue.Queue = queue.Queue()
        self.routes: list[tuple[str, re.Pattern, Callable[[Request], Reply]]] = []
        self.setup_routes()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self._threads = [
            threading.Thread(target=self.server.serve_forever, daemon=True),
            threading.Thread(target=self._emit_loop, daemon=True),
        ]

    # --- life cycle ------------------------------------------------------------------------------------------------
    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return self.origin + self.api_prefix + "/"

    def start(self) -> "Simulator":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._outbox.put(None)
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until ``predicate()`` holds (checked after each request and emitted event) or fail."""
        with self.changed:
            if not self.changed.wait_for(predicate, timeout):
                raise AssertionError(f"{self.name} simulator never reached the expected state within {timeout} s")

    # --- time ------------------------------------------------------------------------------------------------------
    def now(self) -> float:
        return self.frozen if self.frozen is not None else time.time() + self.clock_offset

    def freeze(self) -> None:
        """Stop the clock (``advance`` still moves it): tests of what happens within one second."""
        self.frozen = self.now()

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += seconds
            if self.frozen is not None:
                self.frozen += seconds

    # --- what subclasses provide -----------------------------------------------------------------------------------
    @abc.abstractmethod
    def setup_routes(self) -> None:
        """Declare the platform's routes with ``self.route``."""

    def route(self, method: str, pattern: str, handler: Callable[[Request], Reply]) -> None:
        self.routes.append((method, re.compile("^" + self.api_prefix + pattern + "$"), handler))

    @abc.abstractmethod
    def authorized(self, request: Request) -> bool:
        """Whether the request carries the platform's credentials."""

    @abc.abstractmethod
    def error(self, status: int, message: str, **extra: object) -> Reply:
        """An error in the platform's shape."""

    @abc.abstractmethod
    def seed(self, companies: list[dict]) -> None:
        """Load sample data (connectors/samples.py) in the platform's shape."""

    def rate_limited(self, retry_after: int) -> Reply:
        reply = self.error(429, "Rate limit exceeded")
        reply.headers["Retry-After"] = str(retry_after)
        return reply

    def limit_headers(self, remaining: int, reset_in: int) -> dict[str, str]:
        """Headers every answer carries about the rate limit (platform names)."""
        return {}

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        """Headers that sign an emitted webhook (platform scheme)."""
        return {}

    # --- webhooks --------------------------------------------------------------------------------------------------
    def subscribe(self, url: str, secret: str = "", **extra: object) -> None:
        with self.lock:
            self.webhooks.append({"url": url, "secret": secret, **extra})

    def emit(self, payload: dict) -> None:
        """Send an event to every subscribed URL, from a background thread, as the platform would after a change."""
        with self.changed:
            targets = list(self.webhooks)
            self.events.append(payload)
            self.changed.notify_all()
        for target in targets:
            self._outbox.put((target, payload))

    def signed(self, payload: dict, secret: str, **target: object) -> tuple[bytes, dict[str, str]]:
        """The body and headers the platform sends for ``payload`` to a target with ``secret``."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        return body, {"Content-Type": "application/json", **self.sign(body, {"secret": secret, **target})}

    def _emit_loop(self) -> None:
        with httpx.Client(timeout=10) as http:
            while (item := self._outbox.get()) is not None:
                target, payload = item
                body, headers = self.signed(payload, **target)
                record = {"url": target["url"], "body": body}
                try:
                    record["status"] = http.post(target["url"], content=body, headers=headers).status_code
                except httpx.HTTPError as exc:
                    record["error"] = str(exc)
                with self.changed:
                    self.emitted.append(record)
                    self.changed.notify_all()

    # --- request handling ------------------------------------------------------------------------------------------
    def _limit(self) -> tuple[Reply | None, dict[str, str]]:
        limit = self.knobs.rate_limit
        if not limit:
            return None, {}
        now = time.monotonic()
        with self.lock:
            self._window = [t for t in self._window if now - t < self.knobs.rate_window]
            reset_in = int(self.knobs.rate_window - (now - self._window[0])) + 1 if self._window else 0
            if len(self._window) >= limit:
                reply = self.rate_limited(max(1, reset_in))
                reply.headers.update(self.limit_headers(0, reset_in))
                return reply, {}
            self._window.append(now)
            return None, self.limit_headers(limit - len(self._window), reset_in or int(self.knobs.rate_window))

    def dispatch(self, request: Request) -> Reply:
        if self.knobs.latency:
            time.sleep(self.knobs.latency)
        if not self.authorized(request):
            return self.error(401, "Couldn't authenticate you")
        with self.lock:
            forced = self.knobs.forced.pop(0) if self.knobs.forced else None
            roll = self.rng.random()
        if forced == 429:
            return self.rate_limited(1)
        if forced is not None:
            return self.error(forced, f"injected {forced}")
        if roll < self.knobs.error_rate:
            return self.error(503, "Service temporarily unavailable")
        limited, limit_headers = self._limit()
        if limited is not None:
            return limited
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                request.params = match.groupdict()
                reply = handler(request)
                reply.headers = {**limit_headers, **reply.headers}
                return reply
        return self.error(404, f"No route for {request.method} {request.path}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are written separately: without this, Nagle's algorithm and the client's delayed
            # ACK add about 40 ms to every answer.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                return

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                try:
                    reply = simulator.dispatch(request)
                except Exception as exc:  # a simulator bug shows as the platform's 500, with the reason
                    reply = simulator.error(500, f"simulator error: {type(exc).__name__}: {exc}")
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                if reply.status in (204, 304):
                    payload = b""
                # Recorded before the answer leaves, so a client that reads the log after its call sees the call.
                with simulator.changed:
                    simulator.requests.append(Seen(request.method, request.path, reply.status, time.time()))
                    simulator.changed.notify_all()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        return Handler


def iso(ts: float) -> str:
    """A UTC timestamp as ``2026-11-28T12:00:00Z``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def simulator_class(platform: str) -> type[Simulator]:
    """The simulator of a platform (its module defines ``PlatformSimulator``)."""
    import importlib

    module = importlib.import_module(f"connectors.platforms.{platform}.simulator")
    return module.PlatformSimulator
