import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import process_env, stop_process

ROOT = Path(__file__).resolve().parents[2]
QUIET = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


class WorkerProcess:
    """A real Celery process (a worker, or beat) on the test database and the test broker. Its output is read by
    a thread all along, so a chatty worker never blocks on a full pipe."""

    def __init__(self, *args: str, ready: str = "ready") -> None:
        env = process_env()
        command = args or ("worker", "--pool", "solo", "-l", "INFO", *QUIET)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mdmhub", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._cursor = 0
        self._printed = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for(ready, timeout=60)

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._printed:
                self.lines.append(line)
                self._printed.notify_all()
        with self._printed:
            self._closed = True
            self._printed.notify_all()

    def wait_for(self, text: str, timeout: float) -> str:
        """Wait until an output line after the last one matched contains ``text``; fail with the output if none
        does (or the process ends first)."""
        matched: list[str] = []

        def found() -> bool:
            while self._cursor < len(self.lines):
                line = self.lines[self._cursor]
                self._cursor += 1
                if text in line:
                    matched.append(line)
                    return True
            return self._closed

        with self._printed:
            self._printed.wait_for(found, timeout)
        if matched:
            return matched[0]
        raise AssertionError(f"process never printed {text!r}; output:\n{''.join(self.lines[-40:])}")

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement of the task in hand."""
        self.process.kill()
        self.process.wait(timeout=20)

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def celery_worker_process(transactional_db):
    from mdmhub.celery import app

    # (the ownership rules a flush removed are back: tests/conftest.py does it for every transactional test)
    app.control.purge()
    worker = WorkerProcess()
    yield worker
    worker.stop()
