import importlib
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
QUIET = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


class WorkerProcess:
    """A real Celery worker in its own process, on the test database and the test broker."""

    def __init__(self) -> None:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mdmhub", "worker", "--pool", "solo", "-l", "INFO", *QUIET],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.wait_for("ready", timeout=60)

    def wait_for(self, text: str, timeout: float) -> str:
        """Read the worker's output until a line contains ``text``; fail with the output if it never does."""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not sel.select(timeout=deadline - time.monotonic()):
                    break
                line = self.process.stdout.readline()
                if not line:
                    break
                self.lines.append(line)
                if text in line:
                    return line
        raise AssertionError(f"worker never printed {text!r}; output:\n{''.join(self.lines[-40:])}")

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
