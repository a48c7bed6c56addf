"""Starting hr-sandbox for a client check, the one way every script in tests/clients/ does it.

    with sandbox_server.running(binary, "--workers", "1") as server:
        requests.get(server.root + "/__admin/health")

The binary is started on 127.0.0.1 port 0 (the port it prints is the one it bound), the helper
waits until `/__admin/health` answers, and the server is stopped when the block ends. When the
block ends with an exception or a non-zero exit (a client's `check` calls `sys.exit(1)`), the
server's stderr is printed, so a failure shows what the server said.
"""
import contextlib
import json
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

READY_SECONDS = 30


class Server:
    """A running sandbox: its root URL (`http://127.0.0.1:PORT`, or https with `--tls`), the
    admin token it was given (`--admin-token`, else None) and the lines it printed."""

    def __init__(self, binary, flags, cwd=None):
        self.admin_token = flag_value(flags, "--admin-token")
        self.stderr = tempfile.TemporaryFile("w+")
        self.lines = []
        self._printed = threading.Condition()
        self.process = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", "0", *flags],
                                        stdout=subprocess.PIPE, stderr=self.stderr, text=True, cwd=cwd)
        self.root = None
        threading.Thread(target=self._read_stdout, daemon=True).start()

    def wait_ready(self):
        """Waits for the listening line (the root URL) and for `/__admin/health` to answer ok."""
        listening = self.line_starting("hr-sandbox listening on ")
        self.root = listening.rsplit(" ", 1)[-1]
        self._wait_until_healthy()

    def _read_stdout(self):
        for line in self.process.stdout:
            with self._printed:
                self.lines.append(line.strip())
                self._printed.notify_all()
        with self._printed:
            self._printed.notify_all()

    def line_starting(self, prefix):
        """The first line the server printed that starts with `prefix` (waits for it)."""
        deadline = time.monotonic() + READY_SECONDS
        with self._printed:
            while True:
                found = next((line for line in self.lines if line.startswith(prefix)), None)
                if found is not None:
                    return found
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server printed no line starting with {prefix!r}: {self.lines}")
                self._printed.wait(timeout=0.1)

    def _wait_until_healthy(self):
        # Readiness only: the certificate is checked by the client's own requests, not here.
        context = ssl._create_unverified_context() if self.root.startswith("https") else None
        request = urllib.request.Request(self.root + "/__admin/health")
        if self.admin_token:
            request.add_header("Authorization", f"Bearer {self.admin_token}")
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5, context=context) as answer:
                    if json.load(answer).get("status") == "ok":
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.root}/__admin/health never answered ok")
            time.sleep(0.05)

    def stop(self):
        """Stops the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def show_stderr(self):
        """Prints what the server wrote to stderr (its last 8000 characters)."""
        self.stderr.seek(0)
        text = self.stderr.read()
        print(f"--- hr-sandbox stderr (exit {self.process.returncode}) ---\n{text[-8000:]}--- end of stderr ---",
              file=sys.stderr)


@contextlib.contextmanager
def running(binary, *flags, cwd=None):
    """A server started with `flags` (port 0 on 127.0.0.1 is added; in `cwd` when given, for its
    relative paths), stopped at the end of the block; its stderr is printed when the block fails."""
    server = Server(binary, list(flags), cwd)
    try:
        server.wait_ready()
        yield server
    except BaseException as error:
        server.stop()
        if not (isinstance(error, SystemExit) and error.code in (0, None)):
            server.show_stderr()
        raise
    finally:
        server.stop()


def flag_value(flags, name):
    """The value given to `name` in `flags` (`--name value` or `--name=value`), or None."""
    for index, flag in enumerate(flags):
        if flag == name and index + 1 < len(flags):
            return flags[index + 1]
        if flag.startswith(name + "="):
            return flag.split("=", 1)[1]
    return None
