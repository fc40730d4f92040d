"""A local HTTP receiver for the webhook connector: the far end of deliveries in tests and benchmarks.

It keeps what a real system would (one record per external ID, upserted), checks the signature, and records what a
test needs to judge the engine: records created twice, versions applied after newer ones, request headers and
times. Failure knobs: a share of requests answered 500 or 429 with Retry-After, a fixed status for every request,
added latency.
"""

import hashlib
import hmac
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Knobs:
    fail_rate: float = 0.0  # share answered 500 or 429
    retry_after: int = 1  # seconds, on those 429s
    status: int | None = None  # answer every request with this status
    status_retry_after: int | None = None  # Retry-After sent with ``status``
    latency: float = 0.0
    seed: int = 7


@dataclass
class Seen:
    """One request as received."""

    at: float
    external_id: str
    version: int
    status: int
    headers: dict


@dataclass
class ReceiverState:
    records: dict[str, dict] = field(default_factory=dict)  # external ID -> {"id", "version", "data"}
    creations: dict[str, int] = field(default_factory=dict)
    out_of_order: list[tuple[str, int, int]] = field(default_factory=list)  # (external ID, got, had)
    requests: list[Seen] = field(default_factory=list)
    bad_signatures: int = 0


class Receiver:
    def __init__(self, secret: str = "", knobs: Knobs | None = None, port: int = 0) -> None:
        self.secret = secret
        self.knobs = knobs or Knobs()
        self.state = ReceiverState()
        self.lock = threading.Lock()
        self.answered = threading.Condition(self.lock)  # notified after each request is recorded
        self.rng = random.Random(self.knobs.seed)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_until(self, predicate, timeout: float) -> None:
        """Block until ``predicate(state)`` holds (checked after each request), or fail after ``timeout`` s."""
        with self.answered:
            if not self.answered.wait_for(lambda: predicate(self.state), timeout):
                raise AssertionError(f"receiver state never matched within {timeout} s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, headers: dict, body: bytes) -> tuple[int, dict, dict]:
        knobs = self.knobs
        if knobs.latency:
            time.sleep(knobs.latency)
        if self.secret:
            expected = hmac.new(
                self.secret.encode(), headers.get("x-mdmhub-timestamp", "").encode() + b"." + body, hashlib.sha256
            ).hexdigest()
            if not hmac.compare_digest(f"sha256={expected}", headers.get("x-mdmhub-signature", "")):
                with self.lock:
                    self.state.bad_signatures += 1
                return 401, {}, {"error": "bad signature"}
        if knobs.status is not None:
            extra = {"Retry-After": str(knobs.status_retry_after)} if knobs.status_retry_after is not None else {}
            return knobs.status, extra, {"error": f"configured to answer {knobs.status}"}
        with self.lock:
            roll = self.rng.random()
        if roll < knobs.fail_rate / 2:
            return 500, {}, {"error": "injected failure"}
        if roll < knobs.fail_rate:
            return 429, {"Retry-After": str(knobs.retry_after)}, {"error": "slow down"}
        event = json.loads(body)
        key, version = event["external_id"], int(event["version"])
        with self.lock:
            record = self.state.records.get(key)
            if record is None:
                self.state.creations[key] = self.state.creations.get(key, 0) + 1
                record = {"id": f"R{len(self.state.records) + 1}", "version": 0, "data": {}}
                self.state.records[key] = record
            if version < record["version"]:
                self.state.out_of_order.append((key, version, record["version"]))
            else:
                record["version"], record["data"] = version, event["data"]
        return 200, {}, {"id": record["id"]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real systems answer
            disable_nagle_algorithm = True  # headers and body go out separately: no 40 ms delayed-ACK stall

            def log_message(self, *args: object) -> None:  # quiet: tests read the state instead
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra, answer = receiver._answer(headers, body)
                try:
                    event = json.loads(body)
                    seen = Seen(
                        time.time(), event.get("external_id", ""), int(event.get("version", 0)), status, headers
                    )
                except ValueError:
                    seen = Seen(time.time(), "", 0, status, headers)
                with receiver.answered:
                    receiver.state.requests.append(seen)
                    receiver.answered.notify_all()
                payload = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **extra}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
