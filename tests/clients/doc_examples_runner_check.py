"""The docs' example runner fails what it should: a runner that passes every block proves nothing.

    python3 tests/clients/doc_examples_runner_check.py target/debug/hr-sandbox

Writes small pages to a temporary directory and runs tools/run_doc_examples.py's `run_page` on
each against the binary: a page whose blocks hold (a variable carried from one shell block to
the next, `...` wildcards, the base URL replaced, a Python block) passes; a wrong shown output, a
failing command, a Python block that raises, and a shown line matched only by a partial line
each fail; an unmarked block is not run. A `run: server` page restarts the server with the
block's flags (its address and the shell's HR_SANDBOX_PORT follow), and a flag the server refuses
or a server line it did not print fails. The inventory check finds each block that talks to the
sandbox without a marker, and each marker it does not know. Exit 0 when all hold.
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import run_doc_examples  # noqa: E402

PASSING = '''# a page

<!-- run -->
```sh
B=http://127.0.0.1:8080
curl -s $B/__admin/health
#> {"status":"ok",...,"seed":42,...}
```

Prose between blocks.

<!-- run -->
```sh
curl -s -o /dev/null -w '%{http_code}\\n' $B/__admin/clock
#> 200
```

<!-- run -->
```python
import os, requests
print(requests.get("http://127.0.0.1:8080/__admin/health").json()["seed"], os.environ["HR_SANDBOX_URL"] != "")
#> 42 True
```

```sh
exit 1   # unmarked: never run
```
'''

SERVER = '''<!-- run -->
```sh
curl -s http://127.0.0.1:8080/__admin/health
#> {"status":"ok",...,"seed":42,...}
```

<!-- run: server -->
```sh
cargo build --release
target/release/hr-sandbox --seed 7 &
# hr-sandbox listening on http://127.0.0.1:8080
hr-sandbox healthcheck && curl -s http://127.0.0.1:8080/__admin/health
#> {"status":"ok",...,"seed":7,...}
```
'''

# The inventory: (page, the fence lines its check must report).
INVENTORY = [
    ("<!-- run -->\n```sh\ncurl -s localhost:8080/x\n```\n", []),
    ("```sh\ncurl -s http://127.0.0.1:8080/__admin/health\n```\n", [1]),
    ("```python\nimport hr_sandbox\n```\n", [1]),
    ("```bash\ntarget/release/hr-sandbox --tls &\n```\n", [1]),
    ("```sh\ncargo run --release\n```\n", [1]),
    ("```yaml\nurl: http://127.0.0.1:8080\n```\n", []),
    ("```sh\necho unrelated\n```\n", []),
    ("<!-- not run: needs Docker -->\n```sh\ndocker run -p 8080:8080 hr-sandbox\n```\n", []),
    ("<!-- not run: -->\n```sh\nhr-sandbox\n```\n", [2]),
    ("<!-- run: --tls -->\n```sh\nhr-sandbox\n```\n", [2]),
    ("<!-- run elsewhere: tools/run_doc_examples.py -->\n```sh\nhr-sandbox\n```\n", []),
    ("<!-- run elsewhere: no/such/file.py -->\n```sh\nhr-sandbox\n```\n", [2]),
    ("<!-- run: server -->\n```python\nprint(1)\n```\n", [2]),
]

FAILING = {
    "wrong output": '<!-- run -->\n```sh\ncurl -s http://127.0.0.1:8080/__admin/health\n#> {"status":"down"}\n```\n',
    "failing command": '<!-- run -->\n```sh\nfalse\necho never\n```\n',
    "failing pipe": '<!-- run -->\n```sh\ncurl -sf http://127.0.0.1:8080/__admin/nope | cat\n```\n',
    "python error": '<!-- run -->\n```python\nraise SystemExit(3)\n```\n',
    "partial line": '<!-- run -->\n```sh\necho "not ok"\n#> ok\n```\n',
    "refused flag": '<!-- run: server -->\n```sh\nhr-sandbox --no-such-flag\n```\n',
    "server line not printed": '<!-- run: server -->\n```sh\nhr-sandbox\n# hr-sandbox listening on ftp://nowhere\n```\n',
    "server block that starts nothing": '<!-- run: server -->\n```sh\necho hi\n```\n',
}


def main(binary):
    problems = []
    with tempfile.TemporaryDirectory() as directory:
        def page(name, text):
            path = os.path.join(directory, name + ".md")
            with open(path, "w") as f:
                f.write(text)
            return path

        failures, passed = run_doc_examples.run_page(binary, page("passing", PASSING))
        if failures or passed != 3:
            problems.append(f"the passing page: {passed} passed, failures {failures}")
        failures, passed = run_doc_examples.run_page(binary, page("server", SERVER))
        if failures or passed != 2:
            problems.append(f"the run: server page: {passed} passed, failures {failures}")
        for text, lines in INVENTORY:
            found = [line for line, _ in run_doc_examples.inventory_problems(text)]
            if found != lines:
                problems.append(f"inventory of {text!r}: lines {found}, not {lines}")
        for name, text in FAILING.items():
            failures, passed = run_doc_examples.run_page(binary, page(name.replace(" ", "-"), text))
            if not failures or passed:
                problems.append(f"{name}: not reported as a failure ({passed} passed)")
    for problem in problems:
        print(f"FAILED {problem}")
    print(f"{2 + len(INVENTORY) + len(FAILING) - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
