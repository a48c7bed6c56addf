"""`Server`: the real binary started on a free port, found the documented ways, stopped after."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hr_sandbox import AdminError, ConnectError, LaunchError, Sandbox, Server, find_binary

BINARY = os.environ["HR_SANDBOX_BIN"]


def test_server_starts_on_a_free_port_and_stops_on_exit() -> None:
    with Server(seed=7) as server:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith(":8080")
        assert server.sandbox().health()["seed"] == 7
        url = server.url
    with pytest.raises(ConnectError):
        Sandbox(url, timeout=2)
    with pytest.raises(LaunchError, match="not started"):
        server.url


def test_two_servers_run_side_by_side() -> None:
    with Server() as one, Server() as two:
        assert one.url != two.url
        assert one.sandbox().health()["status"] == two.sandbox().health()["status"] == "ok"


def test_server_passes_scenarios_and_flags() -> None:
    with Server(scenarios=["joinup-throttled"], args=["--vendors", "joinup,chiefonboarding"]) as server:
        box = server.sandbox()
        assert box.health()["vendors"] == ["joinup", "chiefonboarding"]
        assert [s["name"] for s in box.scenarios()] == ["joinup-throttled"]


def test_server_with_an_admin_token_gives_its_clients_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HR_SANDBOX_ADMIN_TOKEN", raising=False)
    with Server(admin_token="s3cret-token") as server:
        assert server.sandbox().health()["status"] == "ok"
        with pytest.raises(AdminError) as refused:
            Sandbox(server.url)
        assert (refused.value.status, refused.value.code) == (401, "unauthorized")
        monkeypatch.setenv("HR_SANDBOX_ADMIN_TOKEN", "s3cret-token")
        assert Sandbox(server.url).create_sandbox("with-token").name == "with-token"


def test_stop_returns_the_exit_code_and_is_idempotent() -> None:
    server = Server().start()
    assert server.stop() == 0
    assert server.stop() is None


def test_bad_flag_fails_the_start_with_the_servers_own_message() -> None:
    with pytest.raises(LaunchError) as failed:
        Server(args=["--journal-limit", "2000000"]).start()
    message = str(failed.value)
    assert "exited before listening (exit code 2)" in message
    assert "--journal-limit" in message


def test_find_binary_prefers_the_argument_then_the_environment_then_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert find_binary(BINARY) == BINARY
    monkeypatch.setenv("HR_SANDBOX_BIN", BINARY)
    assert find_binary() == BINARY
    monkeypatch.delenv("HR_SANDBOX_BIN")
    on_path = tmp_path / "hr-sandbox"
    shutil.copy(BINARY, on_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_binary() == str(on_path)


def test_find_binary_says_what_to_do_when_there_is_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HR_SANDBOX_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LaunchError, match="set HR_SANDBOX_BIN"):
        find_binary()
    with pytest.raises(LaunchError, match="not an executable file"):
        find_binary(str(tmp_path / "nothing"))
