"""`hr_sandbox.container`: its import without the extra, and (where Testcontainers is installed)
the container it configures, its clients pointed at a real server that requires the same admin
token. Starting the image itself needs a Docker daemon, which CI does not have."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest

from hr_sandbox import Server


def test_without_testcontainers_the_import_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "hr_sandbox.container", raising=False)
    for name in ("testcontainers", "testcontainers.core", "testcontainers.core.container"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r"pip install 'hr-sandbox\[testcontainers\]'"):
        importlib.import_module("hr_sandbox.container")


def test_container_has_a_token_a_health_wait_and_clients_that_send_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("testcontainers.core.wait_strategies", reason="the testcontainers extra is not installed")
    import testcontainers.core.container as containers

    monkeypatch.delitem(sys.modules, "hr_sandbox.container", raising=False)
    from hr_sandbox.container import HrSandboxContainer

    class NoDocker:
        def __init__(self, **_: Any) -> None:
            pass

    monkeypatch.setattr(containers, "DockerClient", NoDocker)
    container = HrSandboxContainer("hr-sandbox:local", seed=7)
    assert container.image.endswith("hr-sandbox:local")
    assert container.env == {"HR_SANDBOX_ADMIN_TOKEN": container.admin_token, "HR_SANDBOX_SEED": "7"}
    assert len(container.admin_token) >= 24
    assert "8080" in container.ports
    wait = container._wait_strategy
    assert type(wait).__name__ == "HttpWaitStrategy" and wait._path == "/__admin/health"
    assert wait._headers == {"Authorization": f"Bearer {container.admin_token}"}

    with Server(admin_token=container.admin_token) as server:
        host, port = server.url.removeprefix("http://").rsplit(":", 1)
        monkeypatch.setattr(container, "get_container_host_ip", lambda: host)
        monkeypatch.setattr(container, "get_exposed_port", lambda _: port)
        assert container.get_url() == server.url
        assert container.sandbox().health()["status"] == "ok"
        container.sandbox().create_sandbox("in-a-container", seed=9)
        assert container.sandbox("in-a-container").reset()["seed"] == 9
