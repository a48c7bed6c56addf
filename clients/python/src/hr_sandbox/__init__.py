"""hr-sandbox for Python: a client of the admin API (`Sandbox`), a launcher of the binary
(`Server`) and, as the `hr_sandbox` pytest plugin, fixtures that give each test its own sandbox.

The container helper is `hr_sandbox.container` (it needs the `testcontainers` extra)."""

from ._version import __version__
from .client import Sandbox, compatible
from .errors import AdminError, ConnectError, HrSandboxError, LaunchError, VersionMismatch
from .server import Server, find_binary

__all__ = [
    "AdminError",
    "ConnectError",
    "HrSandboxError",
    "LaunchError",
    "Sandbox",
    "Server",
    "VersionMismatch",
    "__version__",
    "compatible",
    "find_binary",
]
