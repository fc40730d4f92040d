import importlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
QUIET = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


class WorkerProcess:
    """A real Celery process (a worker, or beat) on the test database and the test broker. Its output is read by
    a thread all along, so a chatty worker never blocks on a full pipe."""

    def __init__(self, *args: str, ready: str = "ready") -> None:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
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
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for(ready, timeout=60)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float) -> str:
        """Wait until an output line after the last one matched contains ``text``; fail with the output if none
        does."""
        deadline = time.monotonic() + timeout
        seen = self._cursor
        while time.monotonic() < deadline:
            while seen < len(self.lines):
                seen += 1
                if text in self.lines[seen - 1]:
                    self._cursor = seen
                    return self.lines[seen - 1]
            if self.process.poll() is not None and seen >= len(self.lines):
                break
            time.sleep(0.05)
        raise AssertionError(f"process never printed {text!r}; output:\n{''.join(self.lines[-40:])}")

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement of the task in hand."""
        self.process.kill()
        self.process.wait(timeout=20)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def celery_worker_process(transactional_db):
    from django.apps import apps

    from mdmhub.celery import app

    # A transactional test before this one may have flushed the rules the data migration created.
    importlib.import_module("canonical.migrations.0002_default_ownership_rules").create_rules(apps, None)

    app.control.purge()
    worker = WorkerProcess()
    yield worker
    worker.stop()
