#!/usr/bin/env python3
"""Each transport fault, as Python requests (a real integrator's client) sees it.

    python3 tests/clients/faults_with_requests.py target/debug/hr-sandbox

Starts the sandbox on a free port, loads one fault scenario at a time through the admin API,
and checks the exception requests raises. Prints 'N passed, N failed'; exits non-zero on failure.
"""
import sys

import requests

import sandbox_server

CASES = [
    ("connection_reset", requests.exceptions.ConnectionError, "reset"),
    ("empty_reply", requests.exceptions.ConnectionError, "without response"),
    ("truncated_body", requests.exceptions.ChunkedEncodingError, "IncompleteRead"),
    ("{kind: timeout, hold: 3s}", requests.exceptions.ReadTimeout, "timed out"),
]


def main(binary):
    with sandbox_server.running(binary, "--workers", "1") as server:
        base = server.root
        passed = failed = 0
        for fault, expected, words in CASES:
            scenario = f"name: fault\nrules:\n  - when: {{vendor: chiefonboarding}}\n    then: {{fault: {fault}}}\n"
            requests.post(f"{base}/__admin/scenarios", data=scenario, headers={"Content-Type": "application/yaml"}, timeout=5).raise_for_status()
            try:
                requests.get(f"{base}/chiefonboarding/api/sequences/", timeout=1)
                outcome = "no exception"
            except expected as error:
                outcome = None if words in str(error) else f"{type(error).__name__}: {error}"
            except Exception as error:  # noqa: BLE001 - any other exception is the failure to report
                outcome = f"{type(error).__name__}: {error}"
            if outcome is None:
                passed += 1
                print(f"ok   {fault}: {expected.__name__}")
            else:
                failed += 1
                print(f"FAIL {fault}: wanted {expected.__name__} mentioning {words!r}, got {outcome}")
        print(f"{passed} passed, {failed} failed")
        if failed:
            sys.exit(1)
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
