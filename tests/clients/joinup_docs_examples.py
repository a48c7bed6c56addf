#!/usr/bin/env python3
"""The Joinup docs' own Python examples (seed 000), run against the sandbox.

    python3 tests/clients/joinup_docs_examples.py target/debug/hr-sandbox

Only the base URL changes (`https://api.joinupbackend` and `https://localhost:8000` become the
sandbox's `/joinup` prefix) and the docs' `...` elisions are left out; the headers, the
placeholder token and the bodies are the docs'. Exits non-zero on the first mismatch.
"""
import sys

import requests

import sandbox_server


def main(binary):
    with sandbox_server.running(binary, "--workers", "1") as server:
        base = server.root + "/joinup"

        # "List employees" (Company group configuration).
        headers = {
            'Authorization': 'JWT beep-beep-beep-beep-beep',
            'Content-Type': 'application/json',
        }
        response = requests.get(base + '/api/company/employees/', headers=headers)
        check(response.status_code == 200, response)
        page = response.json()
        check(set(page) == {"count", "next", "previous", "results"} and "company_cif" in page["results"][0], page)

        # "Manage employees".
        json_data = [
            {
                "base_email": "test@example.com",
                "name": "Test",
                "operation": "onboarding",
                "company_name": "Company 1",
                "flexible": True,
            },
            {
                "base_email": "test2@example.com",
                "name": "Test 2",
                "operation": "offboarding",
                "company_name": "Company 1",
            },
            {
                "base_email": "test3@example.com",
                "name": "Test 3",
                "operation": "updated",
                "company_name": "New company",
                "flexible": True,
            },
        ]
        response = requests.post(base + '/api/company/employees/', headers=headers, json=json_data)
        check(response.status_code == 202 and response.json()["message"] == "Bulk task started!", response)
        request_id = response.json()["request_id"]

        # "Check request": the docs' own id is not a job of this sandbox; ours is pending.
        response = requests.get(
            base + '/api/company/employees/check-request/6899d4573a7e8f5ac4bc3ad3/',
            headers=headers,
        )
        check(response.status_code == 404 and response.json() == {"detail": "Not found."}, response)
        admin = base.rsplit("/joinup", 1)[0] + "/__admin"
        requests.post(admin + "/clock", json={"advance_seconds": 60}).raise_for_status()
        response = requests.get(base + f'/api/company/employees/check-request/{request_id}/', headers=headers)
        report = response.json()
        check(report["status"] == "finished" and report["company_created"] == ["Company 1"], report)
        check(report["onboarding"]["success"] == ["test@example.com"], report)
        check(report["offboarding"]["error"] == {"test2@example.com": "Employee not found"}, report)
        # `flexible` is documented for onboarding and offboarding only: the docs' example updates
        # an employee that does not exist, which fails in the report (no company is created for it).
        check(report["updated"]["error"] == {"test3@example.com": "Employee not found"}, report)

        # "List cost centers" and "Manage cost centers".
        response = requests.get(base + '/api/company/cost-centers/', headers=headers)
        check(response.status_code == 200 and response.json()["count"] > 0, response)
        json_data = [
            {"name": "Test", "operation": "onboarding", "company_name": "Company 1", "flexible": True},
            {"name": "Test 2", "operation": "offboarding", "company_name": "Company 1"},
            {"name": "Test 3", "operation": "updated", "company_name": "New company", "flexible": True},
        ]
        response = requests.post(base + '/api/company/cost-centers/', headers=headers, json=json_data)
        check(response.status_code == 202 and len(response.json()["request_id"]) == 24, response)
        print("ok   the Joinup docs' Python examples")


def check(condition, what):
    if not condition:
        detail = what.text if isinstance(what, requests.Response) else what
        print(f"FAIL {detail}")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
