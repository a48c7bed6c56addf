#!/usr/bin/env python3
"""Parity end to end with real client libraries, as an integrator would run it.

    python3 tests/clients/parity_with_real_clients.py target/debug/hr-sandbox

A second hr-sandbox (seed 7) stands in for the real vendor. `hr-sandbox record` proxies to it
while requests-oauthlib runs Justworks' OAuth code flow (the same code as
justworks_oauth_client.py) and `requests` runs the Joinup docs' own examples (their headers,
placeholder token and bodies); then `hr-sandbox parity` replays each recording against a fresh
sandbox it starts itself (seed 42) and must find nothing, and no secret of the stand-in may be
in a recording. Exits non-zero on the first failure.
"""
import os
import signal
import subprocess
import sys
import tempfile

import requests

import sandbox_server
from justworks_oauth_client import code_flow


def record(binary, vendor, upstream, out):
    """A running recorder and the base URL a client points at."""
    process = subprocess.Popen([binary, "record", "--vendor", vendor, "--upstream", upstream, "--port", "0",
                                "--out", out], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    check(line.startswith("hr-sandbox recording on "), line)
    return process, line.rsplit(" ", 1)[-1]


def stop(process):
    process.send_signal(signal.SIGTERM)
    check(process.wait(timeout=10) == 0, "the recorder stops cleanly on SIGTERM")


def parity(binary, har):
    result = subprocess.run([binary, "parity", har], capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, result.stdout + result.stderr)
    return result.stdout


def joinup_docs_examples(base):
    """The Joinup docs' examples that need no clock move (listing and the two bulk writes)."""
    headers = {'Authorization': 'JWT beep-beep-beep-beep-beep', 'Content-Type': 'application/json'}
    check(requests.get(base + '/api/company/employees/', headers=headers).status_code == 200, "list employees")
    json_data = [
        {"base_email": "test@example.com", "name": "Test", "operation": "onboarding", "company_name": "Company 1",
         "flexible": True},
        {"base_email": "test2@example.com", "name": "Test 2", "operation": "offboarding", "company_name": "Company 1"},
    ]
    check(requests.post(base + '/api/company/employees/', headers=headers, json=json_data).status_code == 202, "manage")
    response = requests.get(base + '/api/company/employees/check-request/6899d4573a7e8f5ac4bc3ad3/', headers=headers)
    check(response.status_code == 404, response.text)
    check(requests.get(base + '/api/company/cost-centers/', headers=headers).status_code == 200, "cost centers")
    centers = [{"name": "Test", "operation": "onboarding", "company_name": "Company 1", "flexible": True}]
    check(requests.post(base + '/api/company/cost-centers/', headers=headers, json=centers).status_code == 202, "centers")


def main(binary):
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    with sandbox_server.running(binary, "--workers", "1", "--seed", "7") as upstream, \
            tempfile.TemporaryDirectory() as tmp:
        creds = requests.get(upstream.root + "/__admin/credentials", timeout=5).json()
        app = creds["justworks"]["app"]

        har = os.path.join(tmp, "justworks.har")
        recorder, base = record(binary, "justworks", upstream.root + "/justworks", har)
        oauth, token = code_flow(base, app["client_id"], app["client_secret"], app["redirect_uri"],
                                 ["company.basic:read", "member.basic:read"])
        refreshed = oauth.refresh_token(base + "/oauth/token", client_id=app["client_id"],
                                        client_secret=app["client_secret"])
        check(oauth.get(base + "/v1/members?limit=1", timeout=5).status_code == 200, "members, refreshed token")
        stop(recorder)
        text = open(har).read()
        for secret in [app["client_secret"], token["access_token"], token["refresh_token"], refreshed["access_token"]]:
            check(secret not in text, f"a secret in the recording: {secret}")
        parity(binary, har)
        print("ok   Justworks' OAuth code flow (requests-oauthlib) recorded, redacted, replayed: no difference")

        har = os.path.join(tmp, "joinup.har")
        recorder, base = record(binary, "joinup", upstream.root + "/joinup", har)
        joinup_docs_examples(base)
        stop(recorder)
        check("beep-beep" not in open(har).read(), "the docs' token is redacted")
        parity(binary, har)
        print("ok   the Joinup docs' Python examples recorded and replayed: no difference")


def check(condition, what):
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
