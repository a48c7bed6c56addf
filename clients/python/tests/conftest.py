"""The package's tests run against the real binary: HR_SANDBOX_BIN (CI passes the debug build),
and the repository's shipped scenarios. The plugin under test is the installed one: these tests
use its `hr_sandbox` and `sandbox` fixtures themselves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

os.environ.setdefault("HR_SANDBOX_SCENARIOS_DIR", str(REPO / "scenarios"))
if "HR_SANDBOX_BIN" not in os.environ and (REPO / "target/debug/hr-sandbox").is_file():
    os.environ["HR_SANDBOX_BIN"] = str(REPO / "target/debug/hr-sandbox")
# The tests start their own servers; a URL from the caller's shell would be used instead.
os.environ.pop("HR_SANDBOX_URL", None)


@pytest.fixture
def repo() -> Path:
    """The hr-sandbox repository this package lives in."""
    return REPO
