#!/usr/bin/env python3
"""Every OpenAPI document, proved: openapi-spec-validator validates each, then schemathesis
runs against every vendor the server serves (`GET /__admin/vendors`; rate limits off) and the
admin API, with its checks.

    python3 tests/clients/openapi_contract.py target/debug/hr-sandbox [--seed N] [--max-examples N] [--only NAME,...]

Each run draws a new random seed (or takes `--seed`, or HR_SANDBOX_CONTRACT_SEED) and prints it with the
command that reproduces the run: the documents must hold under any seed, so a failure under some seed is a
real disagreement between a document and its handler, never flakiness.

Each vendor runs as its widest identity, chosen from `GET /__admin/credentials` by one rule, not
a list: the first identity the server lists whose `authorization` calls the API, that is, not an
OAuth client's own credentials (an identity with a `client_secret`, whose Basic header is for the
token endpoint only). When the vendor's document is secured by OAuth 2.0, that identity's `scope`
must hold every scope the document declares, or the run fails (a narrower token would quietly
test less).

Every check runs. What a vendor faithfully answers beyond them is declared in its document, and
only there; this script reads it and tells schemathesis, operation by operation:
- a documented 5xx (ChiefOnboarding's real 500s, Django's HTML page) is expected there, not a
  server error;
- an operation's `x-hr-sandbox-rules` (rules across fields a schema cannot state, such as "to is
  not before from") may answer a schema-valid body with the vendor's 400;
- a documented 4xx (a bulk endpoint's 413 for too many items) is a rejection of invalid data;
- a 4xx the document gives its own body, not the error schema (verify's 422 with the near
  misses), is an outcome of valid data.
Exits non-zero on any failure.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from openapi_spec_validator import validate

import sandbox_server

POSITIVE = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
NEGATIVE = ["400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429", "5xx"]


def checks_run(events):
    """How many checks schemathesis ran, from its NDJSON event stream (then removed)."""
    count = 0
    if os.path.exists(events):
        with open(events) as stream:
            for line in stream:
                finished = json.loads(line).get("ScenarioFinished")
                if finished:
                    checks = finished.get("recorder", {}).get("checks", {})
                    count += sum(len(results) for results in checks.values())
        os.unlink(events)
    return count


def is_error(response):
    """Whether a documented response is the API's error (its one error schema, or a page)."""
    content = response.get("content", {})
    json_schema = content.get("application/json", {}).get("schema", {})
    return not content or "text/html" in content or json_schema.get("$ref") == "#/components/schemas/Error"


def declared(document):
    """schemathesis.toml lines for what `document` declares per operation."""
    lines = []
    for item in document["paths"].values():
        for operation in item.values():
            faithful = [s for s in operation["responses"] if s.startswith("5")]
            rejections = [s for s in operation["responses"] if s.startswith("4") and s not in NEGATIVE]
            rules = operation.get("x-hr-sandbox-rules")
            outcomes = [s for s, r in operation["responses"].items() if s.startswith("4") and not is_error(r)]
            if not faithful and not rules and not rejections and not outcomes:
                continue
            lines += ["[[operations]]", f'include-operation-id = "{operation["operationId"]}"']
            if rejections:
                lines.append(f"checks.negative_data_rejection.expected-statuses = {json.dumps(NEGATIVE + rejections)}")
            if faithful:
                lines.append(f"checks.not_a_server_error.expected-statuses = {json.dumps(['2xx', '3xx', '4xx'] + faithful)}")
            if rules or outcomes:
                accepted = POSITIVE + (["400"] if rules else []) + outcomes
                lines.append(f"checks.positive_data_acceptance.expected-statuses = {json.dumps(accepted)}")
            lines.append("")
    return "\n".join(lines)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def widest_identity(vendor, identities, document):
    """The identity schemathesis runs `vendor` as (the rule in this script's docstring)."""
    callers = [name for name, identity in identities.items()
               if isinstance(identity, dict) and "authorization" in identity and "client_secret" not in identity]
    if not callers:
        raise SystemExit(f"FAIL {vendor}: /__admin/credentials lists no identity that calls the API")
    name = callers[0]
    for scheme in document.get("components", {}).get("securitySchemes", {}).values():
        for flow in scheme.get("flows", {}).values() if scheme.get("type") == "oauth2" else []:
            missing = set(flow.get("scopes", {})) - set(identities[name].get("scope", "").split())
            if missing:
                raise SystemExit(f"FAIL {vendor}: identity {name} lacks the documented scopes {sorted(missing)}")
    return name


def main(binary, seed, max_examples, only, reproduce):
    failed = False
    totals = {"cases": 0, "checks": 0, "failures": 0}
    with sandbox_server.running(binary, "--workers", "2", "--rate-limits", "off") as server:
        root = server.root
        vendors = [vendor["id"] for vendor in fetch(f"{root}/__admin/vendors")]
        documents = {vendor: f"{root}/__admin/vendors/{vendor}/openapi" for vendor in vendors}
        documents["admin"] = f"{root}/__admin/openapi"
        for name, url in documents.items():
            document = fetch(url)
            validate(document)
            count = sum(len(item) for item in document["paths"].values())
            print(f"ok   {name}: a valid OpenAPI {document['openapi']} document, {count} operations")
        credentials = fetch(f"{root}/__admin/credentials")
        identities = {vendor: widest_identity(vendor, credentials[vendor], fetch(documents[vendor])) for vendor in vendors}
        print("identities: " + ", ".join(f"{vendor} as {identity}" for vendor, identity in identities.items()))
        runs = [(vendor, credentials[vendor][identities[vendor]]["authorization"]) for vendor in vendors] + [("admin", None)]
        runs = [(name, authorization) for name, authorization in runs if not only or name in only]
        for name, authorization in runs:
            config = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
            config.write(declared(fetch(documents[name])))
            config.close()
            events = config.name + ".ndjson"
            command = [sys.executable, "-m", "schemathesis.cli", "--config-file", config.name, "run", documents[name],
                       "--max-examples", str(max_examples), "--seed", str(seed), "--report", "ndjson", "--report-ndjson-path", events]
            if authorization:
                command += ["-H", f"Authorization: {authorization}"]
            started = time.monotonic()
            run = subprocess.run(command, capture_output=True, text=True, timeout=24 * max(10, max_examples))
            seconds = time.monotonic() - started
            os.unlink(config.name)
            checks = checks_run(events)
            totals["checks"] += checks
            summary = re.search(r"(\d+) generated, (?:(\d+) passed|(\d+) found (\d+) unique failures?)", run.stdout)
            cases = int(summary.group(1)) if summary else 0
            failures = int(summary.group(4)) if summary and summary.group(4) else 0
            totals["cases"] += cases
            totals["failures"] += failures
            if run.returncode != 0:
                failed = True
                print(f"FAIL {name}: schemathesis\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}")
            else:
                print(f"ok   {name}: schemathesis, {cases} cases, {checks} checks, every one passed ({seconds:.0f} s)")
        print(f"schemathesis totals: {totals['cases']} cases, {totals['checks']} checks, {totals['failures']} failures")
        print(f"schemathesis seed {seed}; to reproduce: {reproduce}")
        if failed:
            sys.exit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--seed", type=int, default=os.environ.get("HR_SANDBOX_CONTRACT_SEED") or None,
                        help="schemathesis seed (default: a new random one, printed)")
    parser.add_argument("--max-examples", type=int, default=10, help="examples per operation (default 10)")
    parser.add_argument("--only", default="", help="comma-separated runs to do (vendors, admin); default all")
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().randrange(2**32)
    only = [name for name in arguments.only.split(",") if name]
    reproduce = " ".join(["python3", sys.argv[0], arguments.binary, "--seed", str(seed)]
                         + (["--max-examples", str(arguments.max_examples)] if arguments.max_examples != 10 else [])
                         + (["--only", ",".join(only)] if only else []))
    print(f"schemathesis seed {seed} (reproduce: {reproduce})", flush=True)
    main(arguments.binary, seed, arguments.max_examples, only, reproduce)
