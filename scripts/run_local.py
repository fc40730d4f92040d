"""Run a local hub for ``make run``: a Celery worker, Celery beat and the web server, started and stopped together.

Each child runs with this Python and this environment. Ctrl-C or SIGTERM stops them all (SIGTERM first, SIGKILL
after a timeout; a second Ctrl-C kills at once); if any child exits on its own, the others are stopped and this
script exits non-zero naming it. POSIX only: each child leads its own process group, so a terminal's Ctrl-C reaches
only this supervisor, which stops the children in order, and a final SIGKILL also reaches what a child started (the
worker's pool processes).
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8000
BASE_URL = f"http://{HOST}:{PORT}"
# A Celery worker on the file-system broker takes about 8 s for a warm shutdown.
STOP_TIMEOUT_SECONDS = 20.0
POLL_SECONDS = 0.2

LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mdmhub_local"
LOCAL_BROKER_URL = "redis://127.0.0.1:6379/2"

CHILDREN: dict[str, list[str]] = {
    "celery worker": [
        *("-m", "celery", "-A", "mdmhub", "worker"),
        *("--loglevel", "INFO", "--concurrency", "2", "--pool", "prefork"),
    ],
    "celery beat": ["-m", "celery", "-A", "mdmhub", "beat", "--loglevel", "INFO"],
    # --insecure serves the admin's static files although DEBUG is off.
    "web server": ["manage.py", "runserver", f"{HOST}:{PORT}", "--noreload", "--insecure"],
}

# Loaded before any fork: the pre-exec hook runs in a half-started child and should not load libraries.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: if the supervisor is killed outright (SIGKILL), its children get SIGTERM instead of living on."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def say(message: str, *, error: bool = False) -> None:
    print(f"run_local: {message}", file=sys.stderr if error else sys.stdout, flush=True)


class Supervisor:
    """The children, and the signals that ask to stop them."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen] = {}
        self.signals_received = 0
        self.stopping = False

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals_received += 1
        name = signal.Signals(signum).name
        say(f"{name} received, killing now" if self.stopping else f"{name} received, stopping (again to kill at once)")

    def start(self, children: dict[str, list[str]]) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # logs appear as they happen, also when piped to a file
        for name, args in children.items():
            self.children[name] = subprocess.Popen(
                [sys.executable, *args], cwd=ROOT, env=env, start_new_session=True, preexec_fn=_die_with_parent
            )
            say(f"started {name} (pid {self.children[name].pid})")

    def watch(self) -> tuple[str, int] | None:
        """Wait until a stop signal (answers None) or until a child exits (answers its name and exit code)."""
        announced = False
        while not self.signals_received:
            for name, child in self.children.items():
                if (code := child.poll()) is not None:
                    return name, code
            if not announced and _accepts_connections(HOST, PORT):
                announced = True
                _announce()
            time.sleep(POLL_SECONDS)
        return None

    def stop(self) -> None:
        self.stopping = True
        for child in self._running():
            # Only the leader: a Celery worker stops its own pool processes, and would log them as lost otherwise.
            child.send_signal(signal.SIGTERM)
        kill_at_signal = self.signals_received + 1
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while self._running() and time.monotonic() < deadline and self.signals_received < kill_at_signal:
            time.sleep(POLL_SECONDS)
        for name, child in self.children.items():
            if child.poll() is None:
                say(f"{name} (pid {child.pid}) is still running; killing it", error=True)
        for child in self.children.values():
            # Also reaps stragglers of a child that exited, like pool processes orphaned by a killed worker.
            _kill_group(child)
            child.wait()

    def _running(self) -> list[subprocess.Popen]:
        return [child for child in self.children.values() if child.poll() is None]


def _kill_group(child: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)  # the child leads its own group: its pgid is its pid


def _accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def _announce() -> None:
    say(
        f"mdmhub is running at {BASE_URL}/\n"
        f"  steward admin  {BASE_URL}/admin/\n"
        f"  API docs       {BASE_URL}/api/docs/   (API under {BASE_URL}/api/v1/)\n"
        f"  readiness      {BASE_URL}/readyz\n"
        "Press Ctrl-C to stop."
    )


def _exit_text(name: str, code: int) -> str:
    if code < 0:
        return f"{name} was killed by {signal.Signals(-code).name}"
    return f"{name} exited with code {code}"


def choose_servers() -> bool:
    """PostgreSQL and Redis on this machine when they answer and nothing else is configured (the platform demo needs
    PostgreSQL: deliveries lease rows with SKIP LOCKED); otherwise the SQLite file and file broker under var/.
    Returns whether PostgreSQL is in use."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_services import check_postgres, check_redis

    if "DATABASE_URL" not in os.environ and check_postgres(LOCAL_DATABASE_URL) is None:
        os.environ["DATABASE_URL"] = LOCAL_DATABASE_URL
        if "CELERY_BROKER_URL" not in os.environ and check_redis(LOCAL_BROKER_URL) is None:
            os.environ["CELERY_BROKER_URL"] = LOCAL_BROKER_URL
    database = os.environ.get("DATABASE_URL", "")
    say(f"database {database or 'SQLite under var/'}, broker {os.environ.get('CELERY_BROKER_URL', 'files under var/')}")
    return database.startswith("postgres")


def prepare() -> None:
    for args in (["manage.py", "migrate", "--noinput"], ["manage.py", "mdm_demo"]):
        subprocess.run([sys.executable, *args], cwd=ROOT, check=True)


def main() -> int:
    supervisor = Supervisor()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, supervisor.on_signal)
    if _accepts_connections(HOST, PORT):
        say(f"something already listens on {HOST}:{PORT}; stop it (another make run?) and try again", error=True)
        return 1
    postgres = choose_servers()
    prepare()
    children = dict(CHILDREN)
    if postgres:
        children["platform demo"] = ["manage.py", "mdm_demo_platforms", "--hub", BASE_URL]
    else:
        say("the Zendesk/ServiceNow platform demo needs PostgreSQL (set DATABASE_URL); skipped")
    died = None
    try:
        supervisor.start(children)
        died = supervisor.watch()
        if died is not None:
            say(f"the {_exit_text(*died)}; stopping the others", error=True)
    finally:
        supervisor.stop()
    if died is not None:
        say(f"stopped because the {_exit_text(*died)}", error=True)
        return 1
    say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
