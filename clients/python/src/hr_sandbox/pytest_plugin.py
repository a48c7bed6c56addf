"""The `hr_sandbox` pytest plugin (entry point `pytest11`, active once the package is installed).

- `hr_sandbox` (session): a client of one server's default sandbox. The server is
  `--hr-sandbox-url` / `HR_SANDBOX_URL` when given; otherwise the binary (`--hr-sandbox-bin`,
  `HR_SANDBOX_BIN` or PATH) is started once for the run and stopped at its end. Under
  pytest-xdist the controller starts it and every worker uses that one server.
- `sandbox` (function): a sandbox of that server for this test alone, deleted after it.
- `@pytest.mark.hr_scenario(source, ...)`: scenarios (shipped names, files, YAML text or dicts)
  loaded into the test's sandbox before it runs.
- A failed test's report gets a section with its sandbox's journal.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any, Generator, Optional

import pytest

from ._report import journal_text
from .client import Sandbox
from .errors import AdminError, HrSandboxError
from .server import Server

# Journal lines shown in a failure report: the newest ones, which are what led to the failure.
REPORT_ENTRIES = 50
_HOLDER = pytest.StashKey["_ServerHolder"]()
_SANDBOX = pytest.StashKey[Sandbox]()
_COUNTER = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hr-sandbox")
    group.addoption(
        "--hr-sandbox-url",
        default=None,
        help="use the hr-sandbox server at this URL instead of starting one (env HR_SANDBOX_URL)",
    )
    group.addoption(
        "--hr-sandbox-bin",
        default=None,
        help="the hr-sandbox binary to start (default: HR_SANDBOX_BIN, else hr-sandbox on PATH)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "hr_scenario(*sources): load hr-sandbox scenarios (a shipped name, a file, YAML text or a dict) "
        "into the test's own sandbox before it runs",
    )
    config.stash[_HOLDER] = _ServerHolder(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    holder = config.stash.get(_HOLDER, None)
    if holder is not None:
        holder.stop()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, on the controller: each worker is handed the one server's URL (or why there
    is none), so the workers share a server and each creates its own sandboxes on it."""
    holder: _ServerHolder = node.config.stash[_HOLDER]
    url, error = holder.url_or_error()
    node.workerinput["hr_sandbox_url"] = url
    node.workerinput["hr_sandbox_error"] = error


class _ServerHolder:
    """The run's one server: given by URL, handed down by the xdist controller, or started here
    on first use (and stopped at the end of the run)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.server: Optional[Server] = None
        self.url: Optional[str] = None
        self.error: Optional[str] = None
        self.client: Optional[Sandbox] = None
        worker_input = getattr(config, "workerinput", None)
        if worker_input is not None and "hr_sandbox_url" in worker_input:
            self.url, self.error = worker_input["hr_sandbox_url"], worker_input["hr_sandbox_error"]
        else:
            self.url = config.getoption("hr_sandbox_url") or os.environ.get("HR_SANDBOX_URL") or None

    def url_or_error(self) -> tuple[Optional[str], Optional[str]]:
        if self.url is None and self.error is None:
            try:
                self.server = Server(self.config.getoption("hr_sandbox_bin")).start()
                self.url = self.server.url
            except HrSandboxError as failed:
                # Told to the tests that use the sandbox, not to a run that never needs it.
                self.error = str(failed)
        return self.url, self.error

    def connect(self) -> Sandbox:
        if self.client is None:
            url, error = self.url_or_error()
            if url is None:
                raise HrSandboxError(f"hr-sandbox could not be started: {error}")
            self.client = Sandbox(url)
        return self.client

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A scenario marker on a test without the `sandbox` fixture would be silently ignored."""
    if item.get_closest_marker("hr_scenario") and "sandbox" not in getattr(item, "fixturenames", ()):
        pytest.fail(
            f"@pytest.mark.hr_scenario loads scenarios into the `sandbox` fixture, which {item.name} does not use: "
            "add `sandbox` to its arguments",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def hr_sandbox(pytestconfig: pytest.Config) -> Sandbox:
    """A client of the run's hr-sandbox server, addressing its `default` sandbox."""
    return pytestconfig.stash[_HOLDER].connect()


@pytest.fixture
def sandbox(hr_sandbox: Sandbox, request: pytest.FixtureRequest) -> Generator[Sandbox, None, None]:
    """A sandbox for this test alone (fresh seeded data, clock, journal, scenarios), with the
    test's `hr_scenario` markers loaded; deleted after the test."""
    own = hr_sandbox.create_sandbox(_sandbox_name(request))
    request.node.stash[_SANDBOX] = own
    try:
        for marker in request.node.iter_markers("hr_scenario"):
            if not marker.args:
                pytest.fail("@pytest.mark.hr_scenario needs at least one scenario", pytrace=False)
            for source in marker.args:
                own.load_scenario(source)
        yield own
    finally:
        try:
            own.delete()
        except AdminError as gone:
            if gone.code != "unknown_sandbox":
                raise


def _sandbox_name(request: pytest.FixtureRequest) -> str:
    """A name no other test, worker or concurrent run on the same server uses: the worker, the
    process, a counter, then as much of the test's name as fits (names are at most 64 of
    `[A-Za-z0-9._-]`)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    prefix = f"{worker}-{os.getpid()}-{next(_COUNTER)}-"
    test = re.sub(r"[^A-Za-z0-9._-]+", "_", request.node.name).strip("_")
    return (prefix + test)[:64]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """A failed test's report gets its sandbox's journal (the sandbox still exists: teardown,
    which deletes it, comes after the call's report)."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    own = item.stash.get(_SANDBOX, None)
    if own is None or report.when != "call" or not report.failed:
        return
    try:
        entries = own.journal(limit=REPORT_ENTRIES)
        text = journal_text(entries)
    except HrSandboxError as failed:
        text = f"(the journal could not be read: {failed})"
    report.sections.append((f"hr-sandbox journal of sandbox {own.name} (newest {REPORT_ENTRIES} at most)", text))
