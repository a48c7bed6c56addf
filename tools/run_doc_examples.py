#!/usr/bin/env python3
"""Runs every documentation example marked to run, against a fresh sandbox per page.

    python3 tools/run_doc_examples.py target/debug/hr-sandbox [PAGE.md ...]

Without pages: README.md and every page under docs/ (docs/generated/ holds includes, not pages).
The line before a fenced block (blank lines aside) says what happens to it:
- `<!-- run -->`: the block runs against the page's server;
- `<!-- run: server -->`: a shell block that starts the server. Each line that serves (the
  binary without a subcommand: `hr-sandbox FLAGS`, `target/release/hr-sandbox FLAGS`, `cargo run
  [--release] [-- FLAGS]`, a trailing `&` and `# comment` aside) stops the page's server and
  starts a new one with exactly those FLAGS (on 127.0.0.1 port 0, in the page's directory, so
  relative paths such as `--snapshot rich-state.json` or `.hr-sandbox/tls` are the reader's);
  `# TEXT` lines right after it are lines the server must print (`...` wildcards); `cargo build`
  lines are skipped (the runner is given the binary); every other line runs as in `run`;
- `<!-- not run: REASON -->`: never run (docker, a browser, a real vendor, CI YAML);
- `<!-- run elsewhere: PATH -->`: run by another check, PATH (from the repository's root).
A sh/bash/shell/python block that talks to the sandbox (`127.0.0.1:8080`, `localhost:8080`, the
`hr-sandbox` binary, `cargo run`, `hr_sandbox`) without one of these markers fails the run, so
the inventory of examples is explicit. Any other `<!-- run... -->` marker fails too.

A page's server is started with no flags (seed 42, `scenarios/` found in the page's directory)
before its first `run` block, unless a `run: server` block started one. `http(s)://127.0.0.1:8080`
and `http(s)://localhost:8080` in a block are replaced by the server's real address, and the
shell's `HR_SANDBOX_PORT` is its port (so `hr-sandbox healthcheck` finds it, as on 8080):
- `sh`/`bash`/`shell` blocks are fed to one bash per page (`set -eo pipefail`), so a variable set
  by one block is there for the next, as in the reader's terminal; a command that fails stops the
  page. Lines `#> TEXT` right after commands are the last lines those commands print (`#>`
  alone: an empty line; whole lines printed before them, since the previous `#>` lines, are not
  compared); `...` in them stands for any text, on one line or across lines.
- `python` blocks run each in a new interpreter (this one, so the venv's packages), with
  `HR_SANDBOX_URL` set to the server; their `#> ` lines, wherever they are, are the whole output.
The working directory is a new temporary one holding links to the repository's `scenarios/`,
`examples/`, `fixtures/`, `recordings/` and `tests/`; `hr-sandbox` on PATH,
`target/release/hr-sandbox` and `target/debug/hr-sandbox` are the given binary. Exit 0 when every
block passed and every example is marked, 1 otherwise.
"""
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "clients"))
import sandbox_server  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
RUN, SERVER, NOT_RUN, ELSEWHERE = "<!-- run -->", "<!-- run: server -->", "<!-- not run:", "<!-- run elsewhere:"
SHELLS = {"sh", "bash", "shell"}
DOCUMENTED_ROOT = re.compile(r"https?://(?:127\.0\.0\.1|localhost):8080")
# What makes a block one that talks to the sandbox, and so one that must be marked.
TALKS = re.compile(r"(?:127\.0\.0\.1|localhost):8080|(?:^|[\s/])hr-sandbox(?:\s|$)|\bcargo run\b|\bhr_sandbox\b", re.M)
BLOCK_SECONDS = 60


def fenced_blocks(text):
    """(line number, language, code, marker) of each fenced block in page order; the marker is the
    `<!--` line before it (blank lines aside), or None."""
    blocks, lines, i, marker = [], text.split("\n"), 0, None
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("<!--"):
            marker = stripped
        elif stripped.startswith("```"):
            fence, language, start, body = stripped[:3], stripped[3:].strip().split(" ")[0], i + 1, []
            indent = len(lines[i]) - len(lines[i].lstrip())
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i].lstrip())
                i += 1
            blocks.append((start, language, "\n".join(body), marker))
            marker = None
        elif stripped:
            marker = None
        i += 1
    return blocks


def marked_blocks(text):
    """(line number, language, code, starts the server) of each block marked to run."""
    return [(line, language, code, marker == SERVER) for line, language, code, marker in fenced_blocks(text)
            if marker in (RUN, SERVER)]


def inventory_problems(text):
    """(line number, what is wrong) for each block whose marker is missing or not understood."""
    problems = []
    for line, language, code, marker in fenced_blocks(text):
        if marker is None or not marker.startswith("<!-- run") and not marker.startswith(NOT_RUN):
            if language in SHELLS | {"python"} and TALKS.search(code):
                problems.append((line, "talks to the sandbox but is marked neither run nor `<!-- not run: reason -->`"))
        elif marker in (RUN, SERVER):
            if marker == SERVER and language not in SHELLS:
                problems.append((line, f"`run: server` is for shell blocks, not {language!r}"))
        elif marker.startswith(ELSEWHERE):
            path = marker[len(ELSEWHERE):].removesuffix("-->").strip()
            if not path or not os.path.isfile(os.path.join(ROOT, path)):
                problems.append((line, f"{marker}: no such file"))
        elif not marker.startswith(NOT_RUN) or not marker[len(NOT_RUN):].removesuffix("-->").strip():
            problems.append((line, f"{marker}: not a marker the runner knows (a `not run` needs its reason)"))
    return problems


def serve_flags(line):
    """The flags of a line that starts the server (None: not such a line; 'skip': `cargo build`)."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        return None
    if words and words[-1] == "&":
        words = words[:-1]
    if words[:2] == ["cargo", "build"]:
        return "skip"
    if words[:2] == ["cargo", "run"]:
        return words[words.index("--") + 1:] if "--" in words else []
    if words and (words[0] == "hr-sandbox" or words[0].endswith("/hr-sandbox")):
        if len(words) == 1 or words[1].startswith("-"):
            return words[1:]
    return None


def shell_steps(code):
    """The block cut where output is shown: (commands, expected output or None) pairs."""
    steps, commands, expected = [], [], []
    for line in code.split("\n"):
        if line == "#>" or line.startswith("#> "):
            expected.append(line[3:])
            continue
        if expected:
            steps.append(("\n".join(commands), "\n".join(expected)))
            commands, expected = [], []
        commands.append(line)
    steps.append(("\n".join(commands), "\n".join(expected) if expected else None))
    return [(c, e) for c, e in steps if c.strip() or e is not None]


def matches(expected, actual, tail=False):
    """Whether the output shown (with `...` wildcards) is what was printed (with `tail`, how it
    ends), trailing spaces aside."""
    def tidy(text):
        return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
    pattern = ".*?".join(re.escape(part) for part in tidy(expected).split("..."))
    return re.fullmatch(("(?:.*\n)?" if tail else "") + pattern, tidy(actual), re.DOTALL) is not None


def substituted(code, root):
    return DOCUMENTED_ROOT.sub(root, code)


class Shell:
    """One bash for a page; each step's output is read up to a marker line it echoes after."""

    def __init__(self, cwd, env):
        self.process = subprocess.Popen(["bash", "--noprofile", "--norc"], cwd=cwd, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.count = 0
        self.send("set -eo pipefail")

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, commands):
        """Runs the commands; (finished, output). Not finished: the shell exited or timed out."""
        self.count += 1
        done = f"__doc_example_step_{self.count}__"
        self.process.stdin.write(f"{commands}\nprintf '\\n%s\\n' {done}\n")
        self.process.stdin.flush()
        out = []
        while True:
            try:
                line = self.lines.get(timeout=BLOCK_SECONDS)
            except queue.Empty:
                return False, "".join(out) + f"\n(no end after {BLOCK_SECONDS} s)"
            if line is None:
                return False, "".join(out) + f"\n(the shell exited: {self.process.wait()})"
            if line.rstrip("\n") == done:
                text = "".join(out)
                return True, text[:-1] if text.endswith("\n") else text
            out.append(line)

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Page:
    """A page's working directory, its bash, its environment and the server its blocks talk to."""

    def __init__(self, binary, work):
        self.binary, self.work, self.server = binary, work, None
        bin_dir = os.path.join(work, ".bin")
        for directory in (bin_dir, os.path.join(work, "target", "release"), os.path.join(work, "target", "debug")):
            os.makedirs(directory)
            os.symlink(os.path.abspath(binary), os.path.join(directory, "hr-sandbox"))
        for shared in ("scenarios", "examples", "fixtures", "recordings", "tests"):
            os.symlink(os.path.join(ROOT, shared), os.path.join(work, shared))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HR_SANDBOX_")}
        self.env["PATH"] = bin_dir + os.pathsep + self.env.get("PATH", "")
        self.shell = Shell(work, self.env)

    def serve(self, flags):
        """Replaces the page's server by one started with `flags`; what went wrong, or None."""
        self.stop()
        self.server = sandbox_server.Server(self.binary, list(flags), cwd=self.work)
        try:
            self.server.wait_ready()
        except RuntimeError as error:
            self.server.stderr.seek(0)
            return f"the server did not start with {flags}: {error}\n{indent(self.server.stderr.read()[-4000:])}"
        port = self.server.root.rsplit(":", 1)[1]
        self.env.update(HR_SANDBOX_URL=self.server.root, HR_SANDBOX_PORT=port)
        finished, output = self.shell.send(f"export HR_SANDBOX_URL={self.server.root} HR_SANDBOX_PORT={port}")
        return None if finished else f"the shell did not take the server's address: {output}"

    def stop(self):
        if self.server:
            self.server.stop()
            self.server = None

    def close(self):
        self.stop()
        self.shell.close()


def run_page(binary, page):
    """Runs a page's marked blocks: the failures as text, and how many blocks passed."""
    with open(page) as f:
        blocks = marked_blocks(f.read())
    if not blocks:
        return [], 0
    failures, passed, name = [], 0, os.path.relpath(page, ROOT)
    work = tempfile.mkdtemp(prefix="doc-examples-")
    try:
        state = Page(binary, work)
        try:
            for line, language, code, starts_server in blocks:
                where = f"{name}:{line} ({language})"
                failure = (state.serve([]) if state.server is None and not starts_server else None) \
                    or run_block(state, language, code, starts_server)
                if not failure:
                    passed += 1
                    continue
                failures.append(f"{where}: {failure}")
                if language in SHELLS:
                    skipped = len(blocks) - passed - len(failures)
                    if skipped:
                        failures.append(f"{name}: {skipped} later blocks not run (they build on that shell)")
                    break
        finally:
            state.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return failures, passed


def run_block(state, language, code, starts_server=False):
    """Runs one block; a description of what went wrong, or None."""
    if starts_server:
        return run_server_block(state, code)
    if language in SHELLS:
        return run_shell(state, code)
    if language == "python":
        code = substituted(code, state.server.root)
        expected = [line.strip()[3:] if line.strip() != "#>" else "" for line in code.split("\n")
                    if line.strip() == "#>" or line.strip().startswith("#> ")]
        try:
            done = subprocess.run([sys.executable, "-c", code], cwd=state.work, env=state.env, text=True,
                                  capture_output=True, timeout=BLOCK_SECONDS)
        except subprocess.TimeoutExpired:
            return f"no end after {BLOCK_SECONDS} s"
        if done.returncode != 0:
            return f"exit {done.returncode}\n{indent(done.stdout + done.stderr)}"
        if expected and not matches("\n".join(expected), done.stdout):
            return f"the output differs\nshown:\n{indent(chr(10).join(expected))}\nprinted:\n{indent(done.stdout)}"
        return None
    return f"a marked block must be sh, bash, shell or python, not {language!r}"


def run_shell(state, code):
    for commands, expected in shell_steps(substituted(code, state.server.root)):
        finished, output = state.shell.send(commands)
        if not finished:
            return f"the commands failed\n{indent(commands)}\nprinted:\n{indent(output)}"
        if expected is not None and not matches(expected, output, tail=True):
            return f"the output differs\n{indent(commands)}\nshown:\n{indent(expected)}\nprinted:\n{indent(output)}"
    return None


def run_server_block(state, code):
    """A `run: server` block: its serving lines (re)start the page's server, the `# ` lines after
    one are what that server printed, and the lines between run in the page's shell."""
    pending, lines, started = [], code.split("\n"), False
    index = 0
    while index < len(lines):
        flags = serve_flags(lines[index])
        index += 1
        if flags is None:
            pending.append(lines[index - 1])
            continue
        if flags == "skip":
            continue
        failure = (run_shell(state, "\n".join(pending)) if pending else None) or state.serve(flags)
        if failure:
            return failure
        pending, started = [], True
        while index < len(lines) and lines[index].startswith("# "):
            shown = substituted(lines[index][2:], state.server.root)
            if not any(matches(shown, printed) for printed in state.server.lines):
                return f"the server did not print {shown!r}; it printed:\n{indent(chr(10).join(state.server.lines))}"
            index += 1
    if not started:
        return "a `run: server` block with no line that starts the server"
    return run_shell(state, "\n".join(pending)) if pending else None


def indent(text):
    return "\n".join("    " + line for line in text.rstrip("\n").split("\n"))


def pages():
    found = [os.path.join(ROOT, "README.md")]
    for directory, subdirs, files in os.walk(os.path.join(ROOT, "docs")):
        subdirs[:] = sorted(d for d in subdirs if d != "generated")
        found += [os.path.join(directory, f) for f in sorted(files) if f.endswith(".md")]
    return found


def main(binary, chosen):
    failures, passed = [], 0
    for page in chosen or pages():
        with open(page) as f:
            problems = inventory_problems(f.read())
        failures += [f"{os.path.relpath(page, ROOT)}:{line}: {problem}" for line, problem in problems]
        page_failures, page_passed = run_page(binary, page)
        failures += page_failures
        passed += page_passed
        if page_failures or page_passed:
            print(f"{os.path.relpath(page, ROOT)}: {page_passed} blocks passed, {len(page_failures)} failed")
    for failure in failures:
        print(f"\nFAILED {failure}")
    print(f"\n{passed} passed, {len(failures)} failed")
    return 1 if failures or passed == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], [os.path.abspath(p) for p in sys.argv[2:]]))
