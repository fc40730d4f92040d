"""Each simulator runs standalone as ``manage.py mdm_simulate`` starts it, and its connector reads it."""

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from connectors.services.sync import system_pull

from .platforms.conftest import platform_system

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("platform", ["zendesk", "servicenow", "freshdesk", "salesforce", "odoo", "erpnext", "sap"])
def test_mdm_simulate_serves_the_platform_with_sample_data(platform):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mdm_simulate", platform, "--port", "0", "--companies", "3"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        assert info["platform"] == platform
        assert httpx.get(info["base_url"], timeout=5).status_code in (401, 404)  # answers, and wants credentials
        system = platform_system(f"{platform}-standalone", platform, info["base_url"], info["credentials"])
        counts = system_pull(system, "customer")
        assert counts["customer"] >= 3
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert process.returncode in (0, -15)
