"""`Server`: the hr-sandbox binary started on a free port for a test run, and stopped after.

The binary is the one given, else `HR_SANDBOX_BIN`, else `hr-sandbox` on PATH. It is started with
`--port 0`; the port comes from the line it prints (`hr-sandbox listening on http://HOST:PORT`),
so no port is guessed and none can race another process."""

from __future__ import annotations

import atexit
import collections
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from types import TracebackType
from typing import IO, Deque, Dict, Iterable, List, Mapping, Optional, Type

from .client import Sandbox
from .errors import AdminError, ConnectError, LaunchError

LISTENING = re.compile(r"hr-sandbox listening on (https?://\S+)")
# Lines of the server's output kept to explain a failed start.
KEPT_LINES = 40


def find_binary(binary: Optional[str] = None) -> str:
    """The hr-sandbox executable: `binary`, else HR_SANDBOX_BIN, else `hr-sandbox` on PATH."""
    given = binary or os.environ.get("HR_SANDBOX_BIN")
    if given:
        found = shutil.which(given) if os.sep not in given else os.path.abspath(given)
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return found
        raise LaunchError(f"the hr-sandbox binary {given!r} is not an executable file")
    found = shutil.which("hr-sandbox")
    if found:
        return found
    raise LaunchError(
        "no hr-sandbox binary: give its path (Server(binary=...), --hr-sandbox-bin), set HR_SANDBOX_BIN, "
        "put hr-sandbox on PATH (cargo install --path . in its repository), or point HR_SANDBOX_URL at a running server"
    )


class Server:
    """An hr-sandbox process on `host` and a free port. `with Server() as server:` starts it and
    stops it after; so does `start()`/`stop()`, and interpreter exit stops any left running.

    `seed`, `scenarios` (files or names loaded at start) and `admin_token` map to their flags
    (its clients send the token); `args` adds any other flag (`["--vendors", "joinup"]`); `env`
    adds environment variables."""

    def __init__(
        self,
        binary: Optional[str] = None,
        *,
        host: str = "127.0.0.1",
        seed: Optional[int] = None,
        scenarios: Iterable[str] = (),
        scenarios_dir: Optional[str] = None,
        args: Iterable[str] = (),
        env: Optional[Mapping[str, str]] = None,
        admin_token: Optional[str] = None,
        startup_timeout: float = 15.0,
    ) -> None:
        self.binary = find_binary(binary)
        self.command: List[str] = [self.binary, "serve", "--host", host, "--port", "0"]
        if seed is not None:
            self.command += ["--seed", str(seed)]
        if scenarios_dir is not None:
            self.command += ["--scenarios-dir", scenarios_dir]
        for scenario in scenarios:
            self.command += ["--scenario", scenario]
        #: The `--admin-token` the server requires, which its clients send.
        self.admin_token = admin_token
        if admin_token is not None:
            self.command += ["--admin-token", admin_token]
        self.command += list(args)
        self.env: Dict[str, str] = {**os.environ, **(env or {})}
        # A port from the environment would lose to --port 0 anyway; HR_SANDBOX_URL is ours.
        self.env.pop("HR_SANDBOX_PORT", None)
        self.startup_timeout = startup_timeout
        self.process: Optional[subprocess.Popen[str]] = None
        self._url: Optional[str] = None
        self._output: Deque[str] = collections.deque(maxlen=KEPT_LINES)
        self._readers: List[threading.Thread] = []

    @property
    def url(self) -> str:
        """The server's base URL (`http://127.0.0.1:PORT`)."""
        if self._url is None:
            raise LaunchError("the server is not started: call start() or use it as a context manager")
        return self._url

    @property
    def output(self) -> str:
        """The last lines the server printed (stdout and stderr)."""
        return "\n".join(self._output)

    def sandbox(self, name: str = "default") -> Sandbox:
        """A client of one of this server's sandboxes (the version is checked)."""
        client = Sandbox(self.url, token=self.admin_token)
        return client if name == "default" else client.sandbox(name)

    def start(self) -> "Server":
        """Starts the process, reads the port it printed and waits until health answers."""
        if self.process is not None:
            return self
        started = time.monotonic()
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        _RUNNING.add(self)
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        assert self.process.stdout is not None and self.process.stderr is not None
        self._drain(self.process.stdout, lines)
        self._drain(self.process.stderr, None)
        try:
            self._url = self._await_listening(lines, started)
            self._await_health(started)
        except BaseException:
            self.stop()
            raise
        return self

    def _drain(self, stream: IO[str], lines: "Optional[queue.Queue[Optional[str]]]") -> None:
        # Both pipes are read to the end, always: a full pipe would block the server's logging.
        def read() -> None:
            for line in stream:
                self._output.append(line.rstrip("\n"))
                if lines is not None:
                    lines.put(line)
            if lines is not None:
                lines.put(None)

        thread = threading.Thread(target=read, name="hr-sandbox-output", daemon=True)
        thread.start()
        self._readers.append(thread)

    def _await_listening(self, lines: "queue.Queue[Optional[str]]", started: float) -> str:
        while True:
            left = self.startup_timeout - (time.monotonic() - started)
            try:
                line = lines.get(timeout=max(left, 0.0))
            except queue.Empty:
                raise self._failed(f"printed no listening line within {self.startup_timeout} s") from None
            if line is None:
                raise self._failed("exited before listening", exited=True)
            found = LISTENING.search(line)
            if found:
                return found.group(1)

    def _await_health(self, started: float) -> None:
        while True:
            try:
                Sandbox(self.url, check_version=False, timeout=2.0).health()
                return
            except AdminError:
                return  # it answered (a refusal: an admin token its clients will send)
            except ConnectError:
                if time.monotonic() - started > self.startup_timeout:
                    raise self._failed(f"did not answer /__admin/health within {self.startup_timeout} s") from None
                time.sleep(0.02)

    def _failed(self, what: str, exited: bool = False) -> LaunchError:
        code = self.process.poll() if self.process is not None else None
        if exited and self.process is not None:
            # Its stdout ended: the exit code and the rest of stderr are moments away.
            try:
                code = self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            for reader in self._readers:
                reader.join(timeout=5)
        status = f" (exit code {code})" if code is not None else ""
        return LaunchError(f"{' '.join(self.command)} {what}{status}; its output:\n{self.output}")

    def stop(self, timeout: float = 5.0) -> Optional[int]:
        """Stops the server (SIGTERM, then SIGKILL after `timeout` s); returns its exit code."""
        process, self.process, self._url = self.process, None, None
        _RUNNING.discard(self)
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # The readers end at the pipes' end of file, which the exit brings.
        for reader in self._readers:
            reader.join(timeout)
        self._readers = []
        return process.returncode

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(
        self, kind: Optional[Type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]
    ) -> None:
        self.stop()


# Servers still running when the interpreter exits are stopped, so none outlives a test run
# (held strongly: a server nobody references any more is still a running process).
_RUNNING: "set[Server]" = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()
