"""Every Python block of the package's README and of docs/testing-from-python.md runs against the
real binary: a block starting `# test_<name>.py` as a pytest file (with the plugin), any other as
a script. A block can only be left out by a `<!-- not run: reason -->` line just before it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
PAGES = [PACKAGE / "README.md", PACKAGE.parents[1] / "docs" / "testing-from-python.md"]
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)```", re.S)


def blocks(page: Path) -> List[Tuple[str, str]]:
    """(id, code) of each Python block of `page` that is run."""
    found = []
    text = page.read_text(encoding="utf-8")
    for match in BLOCK.finditer(text):
        if match.group("before").startswith("<!-- not run:"):
            continue
        line = text[: match.start("code")].count("\n") + 1
        found.append((f"{page.name}:{line}", match.group("code")))
    assert found, f"{page} shows Python examples"
    return found


EXAMPLES = [example for page in PAGES if page.exists() for example in blocks(page)]


@pytest.mark.parametrize("code", [code for _, code in EXAMPLES], ids=[name for name, _ in EXAMPLES])
def test_example_runs(code: str, pytester: pytest.Pytester, tmp_path: Path) -> None:
    first = code.splitlines()[0]
    pytest_file = re.fullmatch(r"# (test_\w+)\.py", first)
    if pytest_file:
        pytester.makepyfile(**{pytest_file.group(1): code})
        result = pytester.runpytest_subprocess()
        assert result.ret == 0, result.stdout.str()
        assert result.parseoutcomes().get("passed", 0) >= 1
        return
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_every_page_with_examples_exists() -> None:
    missing = [str(page) for page in PAGES if not page.exists()]
    assert not missing, missing
