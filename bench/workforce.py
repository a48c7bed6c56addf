#!/usr/bin/env python3
"""The living workforce's cost: one `POST /__admin/clock` advancing 18 months (548 days) at 10
hires, 5 changes and 3 terminations a month per 100 people, on the default data (all five
vendors), with 100,000 Justworks members and with 100,000 Directory employees (the workforce
in that vendor only); the advance's
wall time, the events it made and the people at the end. Loopback only; one fresh server each.

    bench/workforce.py target/release/hr-sandbox
"""
import json, socket, subprocess, sys, time, urllib.request

BIN = sys.argv[1]
RATES = {"hires_per_month": 10, "changes_per_month": 5, "terminations_per_month": 3}
DAYS = 548


def start():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    proc = subprocess.Popen([BIN, "--port", str(port), "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            urllib.request.urlopen(base + "/__admin/health"); break
        except OSError:
            time.sleep(0.02)
    return proc, base


def call(base, path, method="GET", body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method, headers=headers)
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        data = r.read()
    return time.perf_counter() - started, json.loads(data)


def run(name, setup, workforce=None):
    proc, base = start()
    try:
        call(base, "/__admin/clock", "POST", {"set": "2026-02-01T12:00:00Z", "frozen": True})
        setup(base)
        # The first workforce call adopts every vendor's people.
        started, view = call(base, "/__admin/workforce", "PATCH", {**RATES, **(workforce or {})})
        seconds, _ = call(base, "/__admin/clock", "POST", {"advance_seconds": DAYS * 86400})
        _, view = call(base, "/__admin/workforce")
        c = view["counts"]
        print(f"{name}: start {c['start']} active, advance {DAYS} days in {seconds:.3f} s "
              f"(adoption on the PATCH {started:.3f} s): {view['events']['last_seq']} events, "
              f"{view['people']} people, {c['active']} active")
    finally:
        proc.terminate(); proc.wait()


run("default data, all five vendors", lambda base: None)
run("default data, all five vendors, shared", lambda base: None, {"shared": True})


def large(base):
    call(base, "/__admin/vendors/justworks/settings", "PATCH", {"seed_members": 100_000})


run("100,000 Justworks members", large, {"vendors": ["justworks"]})


def directory(base):
    call(base, "/__admin/vendors/directory/settings", "PATCH", {"seed_employees": 100_000})


run("100,000 Directory employees", directory, {"vendors": ["directory"]})
