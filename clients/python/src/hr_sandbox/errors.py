"""The exceptions the package raises, each saying what went wrong and what to do."""

from __future__ import annotations


class HrSandboxError(Exception):
    """Base of every error this package raises (assertion failures excepted)."""


class AdminError(HrSandboxError):
    """The admin API refused a call: its status, and the error body's code and message."""

    def __init__(self, method: str, url: str, status: int, code: str, message: str) -> None:
        self.method, self.url, self.status, self.code, self.message = method, url, status, code, message
        super().__init__(f"{method} {url} -> {status} {code}: {message}")


class ConnectError(HrSandboxError):
    """No hr-sandbox answered at the URL (refused, timed out, not HTTP)."""


class VersionMismatch(HrSandboxError):
    """The server's version is one this client does not speak."""


class LaunchError(HrSandboxError):
    """The server binary could not be found or did not start."""
