#!/usr/bin/env python3
"""The training run of the profile-guided `dist` build (tools/build-dist): starts the instrumented
binary, drives it as integrators do, stops it so that it writes its profile.

What it runs decides what the optimiser treats as hot, so it is every vendor's reads, not the
benchmark's one page: every GET operation of every vendor's OpenAPI document whose path
parameters it can fill, with the vendor's first identity (many rounds) and every other one
(forbidden answers), each vendor's main list at the page sizes clients use, the common errors
(a wrong token, an unknown route, another method) and the admin API's reads; then what changes
the state (a Joinup bulk job, the living workforce over months of sandbox time, a snapshot round
trip) with the lists read again, and the lists under a scenario of 51 rules. Code it never runs
is laid out and optimised as cold. Standard library only, so it runs in the Dockerfile's build
stage.
    tools/pgo_train.py BINARY        # LLVM_PROFILE_FILE says where the profile goes
Fails on any 5xx: a server error while training is a defect, and would train the error path.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

ROUNDS = int(os.environ.get("PGO_ROUNDS", "40"))
HOT = int(os.environ.get("PGO_HOT", "1500"))

# Each vendor's main list, as clients page through it (the design's benchmark case is the first).
LISTS = {
    "joinup": ["/api/company/employees/?page_size=100", "/api/company/employees/?page=2", "/api/company/cost-centers/"],
    "justworks": ["/v1/members?limit=100", "/v1/members?limit=10"],
    "directory": ["/api/v1/employee", "/api/v1/group"],
    "orquest": ["/api/v2/businesses/{business}/services/{service}/employees", "/api/v1/business/{business}/services"],
    "chiefonboarding": ["/api/employees/", "/api/sequences/"],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.server_errors = []

    def get(self, path, authorization=None, method="GET", body=None):
        headers = {"Authorization": authorization} if authorization else {}
        if isinstance(body, str):
            headers["Content-Type"] = "application/yaml"
        elif body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status >= 500:
            self.server_errors.append(f"{method} {path}: {response.status} {body[:200]!r}")
        return response.status, body


def first_id(body):
    """The first `id` in a JSON answer (a list, a page, an envelope)."""
    try:
        stack = [json.loads(body)]
    except ValueError:
        return None
    while stack:
        value = stack.pop(0)
        if isinstance(value, dict):
            if isinstance(value.get("id"), (str, int)):
                return str(value["id"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


def path_values(client, vendor, identities):
    """Values for the path parameters of `vendor`'s operations, from its credentials and lists."""
    first = next(iter(identities.values()))
    auth = first.get("authorization")
    values = {}
    if vendor == "justworks":
        values["member_id"] = first_id(client.get("/justworks/v1/members?limit=1", auth)[1])
    elif vendor == "directory":
        values.update(organization=first.get("organization_id"), employee=identities.get("owner", {}).get("employee_id"),
                      account=identities.get("owner", {}).get("account_id"))
        values["id"] = values["group"] = first_id(client.get("/directory/api/v1/group", auth)[1])
    elif vendor == "orquest":
        values["business"] = first.get("business_id")
        values["service"] = first_id(client.get(f"/orquest/api/v1/business/{values['business']}/services", auth)[1])
        employees = f"/orquest/api/v2/businesses/{values['business']}/services/{values['service']}/employees"
        values["employee"] = first_id(client.get(employees, auth)[1])
    return {name: value for name, value in values.items() if value}


def fill(path, values):
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return None if "{" in path else path


def operations(client, vendor, values):
    """Every GET operation of the vendor's OpenAPI document that needs no required query."""
    document = json.loads(client.get(f"/__admin/vendors/{vendor}/openapi")[1])
    paths = []
    for path, item in document["paths"].items():
        get = item.get("get")
        if not get or path == "/oauth/authorize":
            continue
        if any(p.get("in") == "query" and p.get("required") for p in get.get("parameters", [])):
            continue
        filled = fill(path, values)
        if filled:
            paths.append(f"/{vendor}{filled}")
    return paths


def train(client):
    credentials = json.loads(client.get("/__admin/credentials")[1])
    client.get("/__admin/sandboxes", method="POST", body={"name": "train"})
    plan = []  # (path, authorization, times)
    lists = []  # (path, authorization): each vendor's main lists, read again after every change
    for vendor, identities in credentials.items():
        values = path_values(client, vendor, identities)
        main = f"/{vendor}{fill(LISTS[vendor][0], values)}"
        # The identity that may read the main list first (Justworks' first is the app's Basic pair).
        status = {i["authorization"]: client.get(main, i["authorization"])[0]
                  for i in identities.values() if "authorization" in i}
        authorizations = sorted(status, key=lambda a: status[a] != 200)
        if status[authorizations[0]] != 200:
            sys.exit(f"pgo_train: no {vendor} identity reads {main}: the training would miss the hot path")
        for path in operations(client, vendor, values):
            plan.append((path, authorizations[0], ROUNDS))
            plan.extend((path, other, 1) for other in authorizations[1:])
        for path in LISTS.get(vendor, []):
            filled = fill(path, values)
            if filled:
                lists.append((f"/{vendor}{filled}", authorizations[0]))
        # A named sandbox's prefix, and the errors every client meets: a wrong token, an unknown
        # route, another method.
        plan.append((f"/sandboxes/train{main}", authorizations[0], ROUNDS))
        plan += [(main, "Bearer not-a-token", ROUNDS), (f"/{vendor}/no/such/route", authorizations[0], ROUNDS)]
        client.get(main, authorizations[0], method="DELETE")
    admin = ["/__admin/health", "/__admin/requests", "/__admin/credentials", "/__admin/sandboxes", "/__admin/clock"]
    plan += [(path, None, ROUNDS) for path in admin]
    run(client, plan + [(path, auth, HOT) for path, auth in lists])
    hot = [(path, auth, max(1, HOT // 3)) for path, auth in lists]
    # What changes the state, so pages are built again and not only kept: Joinup's bulk job and
    # its report, the living workforce moving every vendor's records, a snapshot round trip.
    joinup = next(auth for path, auth in lists if path.startswith("/joinup/"))
    client.get("/__admin/workforce", method="PATCH",
               body={"hires_per_month": 10, "changes_per_month": 5, "terminations_per_month": 3})
    for _ in range(max(1, ROUNDS // 4)):
        job = {"base_email": "pgo@example.com", "name": "Training", "operation": "onboarding",
               "company_name": "Company 1", "flexible": True}
        request_id = json.loads(client.get("/joinup/api/company/employees/", joinup, "POST", [job])[1]).get("request_id")
        client.get("/__admin/clock", method="POST", body={"advance_seconds": 15 * 86400})
        client.get(f"/joinup/api/company/employees/check-request/{request_id}/", joinup)
        client.get("/__admin/workforce/events?limit=20")
        client.get("/__admin/requests/find", method="POST", body={"vendor": "joinup"})
        run(client, [(path, auth, 1) for path, auth in lists])
    snapshot = json.loads(client.get("/__admin/snapshot")[1])
    client.get("/__admin/snapshot", method="PUT", body=snapshot)
    # The scenario engine with rules loaded: 50 that never match, one that fires on a list.
    never = "".join(f"  - when: {{vendor: '*', method: POST, path: /never/{i}/**}}\n    then: {{error: conflict}}\n"
                    for i in range(50))
    fires = "  - when: {vendor: joinup, path: /api/company/cost-centers/}\n    then: {error: rate_limited}\n"
    client.get("/__admin/scenarios", method="POST", body=f"name: pgo-train\nrules:\n{never}{fires}")
    run(client, hot)
    client.get("/__admin/scenarios/active", method="DELETE")
    return len(plan) + len(lists)


def run(client, plan):
    """Every (path, authorization, times) step, interleaved, so no path has the caches to itself."""
    remaining = [list(step) for step in plan]
    while remaining:
        for step in remaining:
            client.get(step[0], step[1])
            step[2] -= 1
        remaining = [step for step in remaining if step[2] > 0]


def main():
    binary = sys.argv[1]
    port = free_port()
    # Its log at the default level, as a user runs it, but not on the build's output.
    server = subprocess.Popen([binary, "--port", str(port), "--workers", "1", "--rate-limits", "off"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = Client(port)
                if client.get("/__admin/health")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("pgo_train: the instrumented server did not start")
                time.sleep(0.05)
        started = time.monotonic()
        steps = train(client)
        print(f"pgo_train: {steps} request kinds in {time.monotonic() - started:.1f} s")
    finally:
        # A clean exit writes the profile (the runtime writes it at process exit).
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    if client.server_errors:
        sys.exit("pgo_train: server errors while training:\n" + "\n".join(client.server_errors[:20]))


if __name__ == "__main__":
    main()
