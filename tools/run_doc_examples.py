#!/usr/bin/env python3
"""Runs every documentation example marked to run, against a fresh sandbox per page.

    python3 tools/run_doc_examples.py target/debug/hr-sandbox [PAGE.md ...]

Without pages: README.md and every page under docs/ (docs/generated/ holds includes, not pages).
A fenced block runs when the line before it (blank lines aside) is the marker `<!-- run -->`;
an unmarked block is one that cannot run here (docker, a browser, a real vendor).

Per page, one server is started (the given binary on 127.0.0.1 port 0, seed 42, the repository's
scenarios/), and the page's marked blocks run in order against it, with `http://127.0.0.1:8080`
and `http://localhost:8080` replaced by the server's real address:
- `sh`/`bash`/`shell` blocks are fed to one bash per page (`set -eo pipefail`), so a variable set
  by one block is there for the next, as in the reader's terminal; a command that fails stops the
  page. Lines `#> TEXT` right after commands are the last lines those commands print (`#>`
  alone: an empty line; whole lines printed before them, since the previous `#>` lines, are not
  compared); `...` in them stands for any text, on one line or across lines.
- `python` blocks run each in a new interpreter (this one, so the venv's packages), with
  `HR_SANDBOX_URL` set to the server; their `#> ` lines, wherever they are, are the whole output.
The working directory is a new temporary one holding links to the repository's `scenarios/`,
`examples/`, `fixtures/` and `tests/`, and `hr-sandbox` on PATH is the given binary. Exit 0 when every block passed, 1 otherwise.
"""
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "clients"))
import sandbox_server  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MARKER = "<!-- run -->"
SHELLS = {"sh", "bash", "shell"}
DOCUMENTED_ROOTS = ("http://127.0.0.1:8080", "http://localhost:8080")
BLOCK_SECONDS = 60


def marked_blocks(text):
    """(line number, language, code) of each fenced block after a run marker, in page order."""
    blocks, lines, i, armed = [], text.split("\n"), 0, False
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped == MARKER:
            armed = True
        elif stripped.startswith("```"):
            fence, language, start, body = stripped[:3], stripped[3:].strip().split(" ")[0], i + 1, []
            indent = len(lines[i]) - len(lines[i].lstrip())
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i].lstrip())
                i += 1
            if armed:
                blocks.append((start, language, "\n".join(body)))
            armed = False
        elif stripped:
            armed = False
        i += 1
    return blocks


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
    for documented in DOCUMENTED_ROOTS:
        code = code.replace(documented, root)
    return code


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


def run_page(binary, page):
    """Runs a page's marked blocks: the failures as text, and how many blocks passed."""
    with open(page) as f:
        blocks = marked_blocks(f.read())
    if not blocks:
        return [], 0
    failures, passed, name = [], 0, os.path.relpath(page, ROOT)
    work = tempfile.mkdtemp(prefix="doc-examples-")
    bin_dir = os.path.join(work, ".bin")
    os.makedirs(bin_dir)
    os.symlink(os.path.abspath(binary), os.path.join(bin_dir, "hr-sandbox"))
    for shared in ("scenarios", "examples", "fixtures", "tests"):
        os.symlink(os.path.join(ROOT, shared), os.path.join(work, shared))
    try:
        with sandbox_server.running(binary, "--seed", "42", "--scenarios-dir", os.path.join(ROOT, "scenarios")) as server:
            env = {k: v for k, v in os.environ.items() if not k.startswith("HR_SANDBOX_")}
            env.update(PATH=bin_dir + os.pathsep + env.get("PATH", ""), HR_SANDBOX_URL=server.root)
            shell = Shell(work, env)
            try:
                for line, language, code in blocks:
                    where = f"{name}:{line} ({language})"
                    failure = run_block(shell, language, substituted(code, server.root), work, env)
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
                shell.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return failures, passed


def run_block(shell, language, code, work, env):
    """Runs one block; a description of what went wrong, or None."""
    if language in SHELLS:
        for commands, expected in shell_steps(code):
            finished, output = shell.send(commands)
            if not finished:
                return f"the commands failed\n{indent(commands)}\nprinted:\n{indent(output)}"
            if expected is not None and not matches(expected, output, tail=True):
                return f"the output differs\n{indent(commands)}\nshown:\n{indent(expected)}\nprinted:\n{indent(output)}"
        return None
    if language == "python":
        expected = [line.strip()[3:] if line.strip() != "#>" else "" for line in code.split("\n")
                    if line.strip() == "#>" or line.strip().startswith("#> ")]
        try:
            done = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, text=True,
                                  capture_output=True, timeout=BLOCK_SECONDS)
        except subprocess.TimeoutExpired:
            return f"no end after {BLOCK_SECONDS} s"
        if done.returncode != 0:
            return f"exit {done.returncode}\n{indent(done.stdout + done.stderr)}"
        if expected and not matches("\n".join(expected), done.stdout):
            return f"the output differs\nshown:\n{indent(chr(10).join(expected))}\nprinted:\n{indent(done.stdout)}"
        return None
    return f"a marked block must be sh, bash, shell or python, not {language!r}"


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
