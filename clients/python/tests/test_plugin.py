"""The pytest plugin, run as users run it: a test suite in a temporary directory, in its own
pytest process (pytester), against the real binary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from hr_sandbox import Sandbox, Server

# What the inner tests call and record: a ChiefOnboarding list, and the sandbox it went to.
CALLS = """
import json, os, pathlib
import pytest, requests

def call(sandbox):
    headers = sandbox.headers("chiefonboarding", "admin")
    return requests.get(sandbox.base_url("chiefonboarding") + "/api/employees/", headers=headers, timeout=10)

def record(sandbox, status):
    line = {"worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), "url": sandbox.url,
            "name": sandbox.name, "status": status}
    with open(os.environ["RECORD_TO"], "a") as out:
        out.write(json.dumps(line) + "\\n")
"""


@pytest.fixture
def outer() -> Iterator[Server]:
    """A server the inner run is pointed at (HR_SANDBOX_URL), to look at after it."""
    with Server() as server:
        yield server


def recorded(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_test_gets_its_own_sandbox_deleted_after(
    pytester: pytest.Pytester, outer: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HR_SANDBOX_URL", outer.url)
    monkeypatch.setenv("RECORD_TO", str(tmp_path / "calls.jsonl"))
    pytester.makepyfile(
        CALLS
        + """
def test_one(sandbox):
    record(sandbox, call(sandbox).status_code)

def test_two(sandbox):
    record(sandbox, call(sandbox).status_code)
    assert len(sandbox.journal()) == 1
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)
    calls = recorded(tmp_path / "calls.jsonl")
    assert [c["url"] for c in calls] == [outer.url, outer.url]
    assert len({c["name"] for c in calls}) == 2 and "default" not in {c["name"] for c in calls}
    assert [s["name"] for s in outer.sandbox().sandboxes()] == ["default"]


def test_hr_scenario_marker_loads_a_scenario_for_one_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECORD_TO", str(tmp_path / "calls.jsonl"))
    pytester.makepyfile(
        CALLS
        + """
@pytest.mark.hr_scenario("chiefonboarding-outage")
def test_outage(sandbox):
    record(sandbox, call(sandbox).status_code)

CONFLICTS = {"name": "conflicts", "rules": [{"when": {"vendor": "chiefonboarding"}, "then": {"error": "conflict"}}]}

@pytest.mark.hr_scenario(CONFLICTS)
def test_from_a_dict(sandbox):
    record(sandbox, call(sandbox).status_code)

def test_unaffected(sandbox):
    record(sandbox, call(sandbox).status_code)
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=3)
    assert [c["status"] for c in recorded(tmp_path / "calls.jsonl")] == [503, 409, 200]


def test_unknown_scenario_in_a_marker_errors_that_test_naming_the_shipped_ones(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.hr_scenario("joinup-throttle")
def test_typo(sandbox):
    pass
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*LookupError: 'joinup-throttle' is no file and no scenario the server ships*"])


def test_scenario_marker_without_the_sandbox_fixture_is_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.hr_scenario("joinup-throttled")
def test_forgot_the_fixture(hr_sandbox):
    pass

@pytest.mark.hr_scenario()
def test_names_no_scenario(sandbox):
    pass
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines_random(
        [
            "*hr_scenario loads scenarios into the `sandbox` fixture, which test_forgot_the_fixture does not use*",
            "*hr_scenario needs at least one scenario*",
        ]
    )


def test_failed_test_report_shows_its_sandbox_journal(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import requests

def test_wrong_path(sandbox):
    headers = sandbox.headers("chiefonboarding", "admin")
    requests.get(sandbox.base_url("chiefonboarding") + "/api/employee/", headers=headers, timeout=10)
    sandbox.verify(vendor="chiefonboarding", path="/api/employees/", count=1)
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expected exactly 1 request(s) matching*found 0*",
            "*path: expected '/api/employees/', got '/api/employee/'*",
            "*- hr-sandbox journal of sandbox main-*-test_wrong_path*",
            "#1 GET /chiefonboarding/api/employee/ -> 404 [[]no emulated operation[]]",
        ]
    )


def test_xdist_workers_share_one_server_with_their_own_sandboxes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECORD_TO", str(tmp_path / "calls.jsonl"))
    tests = "".join(
        f"\ndef test_{i}(sandbox):\n    import time; time.sleep(0.2)\n    record(sandbox, call(sandbox).status_code)\n"
        for i in range(6)
    )
    pytester.makepyfile(CALLS + tests)
    pytester.runpytest_subprocess("-n", "2").assert_outcomes(passed=6)
    calls = recorded(tmp_path / "calls.jsonl")
    assert {c["worker"] for c in calls} == {"gw0", "gw1"}
    assert len({c["url"] for c in calls}) == 1, "one server for the run"
    assert len({c["name"] for c in calls}) == 6, "a sandbox per test"
    assert {c["status"] for c in calls} == {200}
    # The controller stopped its server at the end of the run.
    with pytest.raises(Exception):
        Sandbox(str(calls[0]["url"]), timeout=2)


def test_without_a_binary_only_the_tests_that_need_one_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HR_SANDBOX_BIN")
    monkeypatch.setenv("PATH", str(pytester.path))
    pytester.makepyfile(
        """
def test_needs_it(sandbox):
    pass

def test_does_not():
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*hr-sandbox could not be started: no hr-sandbox binary*HR_SANDBOX_URL*"])
