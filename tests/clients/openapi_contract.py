#!/usr/bin/env python3
"""The six OpenAPI documents, proved: openapi-spec-validator validates each, then schemathesis
runs against every vendor (credentials from /__admin/credentials; Justworks with `all_scopes`;
rate limits off) and the admin API, with its checks.

    python3 tests/clients/openapi_contract.py target/debug/hr-sandbox

Not yet run: `positive_data_acceptance` (schema-valid data naming records that do not exist is
the vendors' own 400/404, which a schema cannot express), and for ChiefOnboarding
`not_a_server_error` (its real 500 for a duplicate email, declared in its document as Django's
HTML page). Exits non-zero on any failure.
"""
import json
import re
import subprocess
import sys
import urllib.request

from openapi_spec_validator import validate

VENDORS = [("joinup", "group_admin"), ("justworks", "all_scopes"), ("directory", "admin_key"),
           ("orquest", "integration"), ("chiefonboarding", "admin")]
EXCLUDED = {"chiefonboarding": ["not_a_server_error"]}


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def main(binary):
    server = subprocess.Popen([binary, "--port", "0", "--workers", "2", "--rate-limits", "off"],
                              stdout=subprocess.PIPE, text=True)
    failed = False
    totals = {"cases": 0, "failures": 0}
    try:
        root = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        documents = {vendor: f"{root}/__admin/vendors/{vendor}/openapi" for vendor, _ in VENDORS}
        documents["admin"] = f"{root}/__admin/openapi"
        for name, url in documents.items():
            document = fetch(url)
            validate(document)
            count = sum(len(item) for item in document["paths"].values())
            print(f"ok   {name}: a valid OpenAPI {document['openapi']} document, {count} operations")
        credentials = fetch(f"{root}/__admin/credentials")
        runs = [(vendor, credentials[vendor][identity]["authorization"]) for vendor, identity in VENDORS] + [("admin", None)]
        for name, authorization in runs:
            command = [sys.executable, "-m", "schemathesis.cli", "run", documents[name], "--max-examples", "10",
                       "--seed", "1", "--exclude-checks", ",".join(["positive_data_acceptance"] + EXCLUDED.get(name, []))]
            if authorization:
                command += ["-H", f"Authorization: {authorization}"]
            run = subprocess.run(command, capture_output=True, text=True, timeout=240)
            summary = re.search(r"(\d+) generated, (?:(\d+) passed|(\d+) found (\d+) unique failures?)", run.stdout)
            cases = int(summary.group(1)) if summary else 0
            failures = int(summary.group(4)) if summary and summary.group(4) else 0
            totals["cases"] += cases
            totals["failures"] += failures
            if run.returncode != 0:
                failed = True
                print(f"FAIL {name}: schemathesis\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}")
            else:
                print(f"ok   {name}: schemathesis, {cases} cases, every check passed")
        print(f"schemathesis totals: {totals['cases']} cases, {totals['failures']} failures")
    finally:
        server.terminate()
        server.wait(timeout=10)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
