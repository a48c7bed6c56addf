"""`HrSandboxContainer`: the hr-sandbox image under Testcontainers, for suites that run it in
Docker instead of starting the binary. Needs the extra: `pip install 'hr-sandbox[testcontainers]'`.

The image answers any `Host` (`HR_SANDBOX_ADMIN_HOSTS=*`), so its admin API gets a token, which
the container's clients send."""

from __future__ import annotations

import secrets
from typing import Any, Optional

from .client import Sandbox

try:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.wait_strategies import HttpWaitStrategy
except ImportError as missing:  # pragma: no cover - the message is the point
    raise ImportError(
        "hr_sandbox.container needs Testcontainers 4.10 or later: pip install 'hr-sandbox[testcontainers]'"
    ) from missing

PORT = 8080


class HrSandboxContainer(DockerContainer):  # type: ignore[misc,unused-ignore]  # Any without the extra
    """The image (`hr-sandbox:local` unless named) with its port exposed, an admin token, and a
    wait until `/__admin/health` answers 200. `with HrSandboxContainer() as c: c.sandbox()`."""

    def __init__(
        self,
        image: str = "hr-sandbox:local",
        *,
        seed: Optional[int] = None,
        admin_token: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(image, **kwargs)
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self.with_exposed_ports(PORT)
        self.with_env("HR_SANDBOX_ADMIN_TOKEN", self.admin_token)
        if seed is not None:
            self.with_env("HR_SANDBOX_SEED", str(seed))
        health = HttpWaitStrategy(PORT, "/__admin/health").for_status_code(200)
        self.waiting_for(health.with_header("Authorization", f"Bearer {self.admin_token}"))

    def get_url(self) -> str:
        """The base URL of the running container's server, as this host reaches it."""
        return f"http://{self.get_container_host_ip()}:{self.get_exposed_port(PORT)}"

    def sandbox(self, name: str = "default") -> Sandbox:
        """A client of one of the container's sandboxes, with the admin token."""
        client = Sandbox(self.get_url(), token=self.admin_token)
        return client if name == "default" else client.sandbox(name)
