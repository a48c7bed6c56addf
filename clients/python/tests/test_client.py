"""`Sandbox` against the real server: every admin call it wraps, and the errors it raises."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from hr_sandbox import AdminError, ConnectError, Sandbox, VersionMismatch, __version__, compatible
from hr_sandbox import client as client_module

EMPLOYEES = "/api/employees/"


def chiefonboarding_employees(box: Sandbox) -> requests.Response:
    headers = box.headers("chiefonboarding", "admin")
    return requests.get(box.base_url("chiefonboarding") + EMPLOYEES, headers=headers, timeout=10)


def test_health_names_version_seed_and_vendors(hr_sandbox: Sandbox) -> None:
    health = hr_sandbox.health()
    assert health["status"] == "ok"
    assert health["version"] == hr_sandbox.server_version == __version__
    assert "joinup" in health["vendors"] and "chiefonboarding" in health["vendors"]


def test_package_version_is_the_server_crate_version(repo: Path) -> None:
    cargo = (repo / "Cargo.toml").read_text(encoding="utf-8")
    crate_version = cargo.split('version = "', 1)[1].split('"', 1)[0]
    assert __version__ == crate_version


def test_connect_refuses_a_server_of_another_minor_version(
    hr_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "__version__", "9.8.0")
    with pytest.raises(VersionMismatch) as refused:
        Sandbox(hr_sandbox.url)
    message = str(refused.value)
    assert "version 0.1" in message and "9.8.0" in message and "check_version=False" in message
    assert Sandbox(hr_sandbox.url, check_version=False).server_version is None


def test_compatible_is_same_major_and_minor() -> None:
    assert compatible("0.1.7", "0.1.0")
    assert not compatible("0.2.0", "0.1.0")
    assert not compatible("", "0.1.0")


def test_connect_to_nothing_says_no_server_answered() -> None:
    with pytest.raises(ConnectError, match="no hr-sandbox answered"):
        Sandbox("http://127.0.0.1:9", timeout=2)


def test_credentials_authorize_a_vendor_call(sandbox: Sandbox) -> None:
    assert set(sandbox.credentials()["chiefonboarding"]) >= {"admin", "manager"}
    assert sandbox.authorization("chiefonboarding", "admin").startswith("Token ")
    assert chiefonboarding_employees(sandbox).status_code == 200


def test_credential_of_an_unknown_identity_names_the_known_ones(sandbox: Sandbox) -> None:
    with pytest.raises(LookupError, match="it has: admin, manager"):
        sandbox.authorization("chiefonboarding", "ceo")
    with pytest.raises(LookupError, match="no vendor 'workday'"):
        sandbox.authorization("workday", "admin")


def test_sandbox_fixture_is_a_named_sandbox_with_its_own_prefix(sandbox: Sandbox, hr_sandbox: Sandbox) -> None:
    assert sandbox.name != "default"
    assert sandbox.base_url("joinup") == f"{hr_sandbox.url}/sandboxes/{sandbox.name}/joinup"
    assert sandbox.name in [s["name"] for s in hr_sandbox.sandboxes()]


def test_create_and_delete_a_sandbox(hr_sandbox: Sandbox) -> None:
    made = hr_sandbox.create_sandbox("py-client-create", seed=7)
    assert made.reset()["seed"] == 7
    made.delete()
    assert "py-client-create" not in [s["name"] for s in hr_sandbox.sandboxes()]
    with pytest.raises(AdminError) as gone:
        made.clock()
    assert (gone.value.status, gone.value.code) == (404, "unknown_sandbox")


def test_create_sandbox_with_a_bad_name_is_the_servers_400(hr_sandbox: Sandbox) -> None:
    before = hr_sandbox.sandboxes()
    with pytest.raises(AdminError) as refused:
        hr_sandbox.create_sandbox("no spaces/please")
    assert refused.value.status == 400
    assert hr_sandbox.sandboxes() == before


def test_reset_forgets_the_journal(sandbox: Sandbox) -> None:
    chiefonboarding_employees(sandbox)
    assert sandbox.journal()
    sandbox.reset()
    assert sandbox.journal() == []


def test_clock_advances_sets_and_freezes(sandbox: Sandbox) -> None:
    sandbox.freeze_clock()
    start = sandbox.now()
    sandbox.advance(dt.timedelta(days=1))
    assert sandbox.now() - start == dt.timedelta(days=1)
    sandbox.advance(90)
    assert sandbox.now() - start == dt.timedelta(days=1, seconds=90)
    sandbox.set_clock(dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    assert sandbox.clock() == {"now": "2030-01-02T03:04:05.000Z", "frozen": True}


def test_set_clock_refuses_a_naive_datetime(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sandbox.set_clock(dt.datetime(2030, 1, 1))


def test_scenario_file_without_a_name_is_named_after_its_stem(sandbox: Sandbox, tmp_path: Path) -> None:
    file = tmp_path / "users-conflict.yaml"
    file.write_text("rules:\n  - when: {vendor: chiefonboarding}\n    then: {error: conflict}\n", encoding="utf-8")
    assert sandbox.load_scenario(file)["name"] == "users-conflict"
    assert sandbox.load_scenario(str(file), name="renamed")["name"] == "renamed"


def test_clock_refuses_going_back_by_advance(sandbox: Sandbox) -> None:
    with pytest.raises(AdminError, match="advance_seconds must be >= 0"):
        sandbox.advance(-5)


def test_scenario_by_shipped_name_shapes_the_vendors_answers(sandbox: Sandbox) -> None:
    loaded = sandbox.load_scenario("chiefonboarding-outage")
    assert loaded["name"] == "chiefonboarding-outage" and loaded["active"]
    answer = chiefonboarding_employees(sandbox)
    assert answer.status_code == 503
    assert answer.headers["x-sandbox-scenario"] == "chiefonboarding-outage#0"


def test_scenario_from_a_dict_a_file_and_yaml_text(sandbox: Sandbox, tmp_path: Path) -> None:
    rule: dict[str, Any] = {"when": {"vendor": "chiefonboarding", "path": EMPLOYEES}, "then": {"error": "conflict"}}
    sandbox.load_scenario({"name": "as-dict", "rules": [rule]})
    file = tmp_path / "from-file.json"
    file.write_text(json.dumps({"name": "from-file", "rules": [rule]}), encoding="utf-8")
    sandbox.load_scenario(file, activate=False)
    sandbox.load_scenario("name: as-yaml\nrules:\n  - when: {vendor: joinup}\n    then: {error: conflict}\n")
    listed = {s["name"]: s["active"] for s in sandbox.scenarios()}
    assert listed == {"as-dict": True, "from-file": False, "as-yaml": True}
    assert chiefonboarding_employees(sandbox).status_code == 409
    sandbox.activate_scenarios(["from-file"])
    sandbox.unload_scenario("from-file")
    assert chiefonboarding_employees(sandbox).status_code == 200
    sandbox.deactivate_scenarios()
    assert [s["active"] for s in sandbox.scenarios()] == [False, False]


def test_unknown_scenario_name_lists_the_shipped_ones(sandbox: Sandbox) -> None:
    with pytest.raises(LookupError, match="shipped: all-flaky-network, chiefonboarding-outage"):
        sandbox.load_scenario("chiefonboarding-outag")
    with pytest.raises(FileNotFoundError):
        sandbox.load_scenario("missing.yaml")
    assert sandbox.scenarios() == []


def test_bad_scenario_is_the_servers_400_and_loads_nothing(sandbox: Sandbox) -> None:
    with pytest.raises(AdminError) as refused:
        rule = {"when": {"vendor": "workday"}, "then": {"error": "conflict"}}
        sandbox.load_scenario({"name": "bad", "rules": [rule]})
    assert refused.value.status == 400 and "workday" in refused.value.message
    assert sandbox.scenarios() == []


def test_journal_filters_and_find(sandbox: Sandbox) -> None:
    chiefonboarding_employees(sandbox)
    requests.get(sandbox.base_url("chiefonboarding") + "/api/nothing/", timeout=10)
    assert [e["status"] for e in sandbox.journal()] == [200, 404]
    assert [e["path"] for e in sandbox.journal(status=404)] == ["/api/nothing/"]
    assert len(sandbox.find(vendor="chiefonboarding", path="/api/*/")) == 2
    assert sandbox.find(vendor="chiefonboarding", path="/api/*/", limit=1)[0]["path"] == "/api/nothing/"
    assert [(e["path"], e["count"]) for e in sandbox.unmatched()["unmatched"]] == [("/api/nothing/", 1)]
    assert "#1 GET /chiefonboarding/api/employees/ -> 200" in sandbox.journal_text()
    sandbox.clear_journal()
    assert sandbox.journal() == []


def test_verify_returns_the_count_when_it_holds(sandbox: Sandbox) -> None:
    chiefonboarding_employees(sandbox)
    assert sandbox.verify(vendor="chiefonboarding", method="GET", path=EMPLOYEES) == 1
    assert sandbox.verify(vendor="chiefonboarding", count=1, status=200) == 1
    assert sandbox.verify(vendor="joinup", count=0) == 0


def test_verify_failure_is_an_assertion_naming_the_near_misses(sandbox: Sandbox) -> None:
    chiefonboarding_employees(sandbox)
    with pytest.raises(AssertionError) as failed:
        sandbox.verify(vendor="chiefonboarding", method="POST", path="/api/employee/", count=1)
    message = str(failed.value)
    assert "expected exactly 1 request(s)" in message and "found 0" in message
    assert "#1 GET /chiefonboarding/api/employees/ -> 200" in message
    assert "method: expected 'POST', got 'GET'" in message
    assert "path: expected '/api/employee/', got '/api/employees/'" in message


def test_verify_with_a_bad_matcher_is_the_servers_400(sandbox: Sandbox) -> None:
    with pytest.raises(AdminError, match="unknown field `vendorx`"):
        sandbox.verify(vendorx="chiefonboarding")


def test_snapshot_restores_a_sandboxs_state(sandbox: Sandbox) -> None:
    sandbox.freeze_clock()
    saved = sandbox.snapshot()
    sandbox.advance(3600)
    assert sandbox.restore(saved)["sandbox"] == sandbox.name
    restored = sandbox.now()
    assert restored == client_module._parse_time(saved["clock"]["now"][:23] + "Z")


def test_admin_reaches_any_route_for_this_sandbox(sandbox: Sandbox) -> None:
    counts = sandbox.admin("GET", "/vendors")
    assert "chiefonboarding" in [v["id"] for v in counts]
    with pytest.raises(AdminError) as missing:
        sandbox.admin("GET", "/no-such-route")
    assert missing.value.status == 404
