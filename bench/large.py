#!/usr/bin/env python3
"""Large data: seeding 100,000 records per vendor (time, memory per record), then reads at that
size: the first (cold) answer of a default, filtered, ordered and deep Joinup page and a deep
Justworks cursor page, and warm req/s of each with wrk. Called by bench/run; loopback only.

    bench/large.py target/release/hr-sandbox [COUNT]

At the default COUNT it also writes docs/generated/large-data.md, the tables the docs include.
"""
import json, os, re, socket, subprocess, sys, time, urllib.request

from write_tables import large_data

BIN = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
DURATION = "3"
DOCUMENTED_COUNT = 100_000
TABLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "generated", "large-data.md")
# vendor, setting, records seeded for COUNT (Orquest seeds a quarter more in its second business,
# Joinup COUNT in each of its two tenants), the docs' name.
VENDORS = [
    ("joinup", "seed_employees", 2 * COUNT, "Joinup"),
    ("justworks", "seed_members", COUNT, "Justworks"),
    ("directory", "seed_employees", COUNT + 24, "Directory"),
    ("orquest", "seed_employees", COUNT + COUNT // 4, "Orquest"),
    ("chiefonboarding", "seed_users", COUNT, "ChiefOnboarding"),
]


def start():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    proc = subprocess.Popen(["taskset", "-c", "0", BIN, "--port", str(port), "--workers", "1", "--rate-limits", "off"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            urllib.request.urlopen(base + "/__admin/health"); break
        except OSError:
            time.sleep(0.02)
    return proc, base


def rss_mib(proc):
    for line in open(f"/proc/{proc.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


def call(base, path, method="GET", body=None, auth=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if auth:
        headers["Authorization"] = auth
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method, headers=headers)
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        data = r.read()
    return (time.perf_counter() - started) * 1000, data


def wrk(url, auth):
    out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", "-c32", f"-d{DURATION}s", "-H", f"Authorization: {auth}", url],
                         capture_output=True, text=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


print(f"large data: {COUNT} records per vendor (Joinup: per tenant), one fresh server per vendor")
print(f"{'vendor':<16} {'records':>8} {'seeding':>10} {'memory':>10} {'per record':>11}")
seeded = []
for vendor, setting, records, name in VENDORS:
    proc, base = start()
    call(base, "/__admin/credentials")  # seeds every vendor's default data
    before = rss_mib(proc)
    ms, _ = call(base, f"/__admin/vendors/{vendor}/settings", "PATCH", {setting: COUNT})
    after = rss_mib(proc)
    per_record = (after - before) * 1048576 / records
    print(f"{vendor:<16} {records:>8} {ms:>7.0f} ms {after - before:>6.0f} MiB {per_record:>7.0f} B")
    per_tenant = " per tenant" if vendor == "joinup" else ""
    seeded.append((f"{name} (`{setting}` {COUNT:,}{per_tenant})", records, ms, after - before, per_record))
    proc.terminate(); proc.wait()

proc, base = start()
call(base, "/__admin/vendors/joinup/settings", "PATCH", {"seed_employees": COUNT})
call(base, "/__admin/vendors/justworks/settings", "PATCH", {"seed_members": COUNT})
creds = json.loads(call(base, "/__admin/credentials")[1])
joinup = creds["joinup"]["group_admin"]["authorization"]
justworks = creds["justworks"]["all_scopes"]["authorization"]
cursor_path = "/justworks/v1/members?limit=100"
for _ in range(900):  # walk to page 900 of 1000
    page = json.loads(call(base, cursor_path, auth=justworks)[1])
    cursor_path = f"/justworks/v1/members?limit=100&cursor={page['next_cursor']}"
# name, path, credential, the docs' name.
cases = [
    ("joinup default page", "/joinup/api/company/employees/?page_size=100", joinup, "Joinup default page of 100"),
    ("joinup filtered page", "/joinup/api/company/employees/?page_size=100&enabled=false&company_cif=B86", joinup,
     "Joinup filtered page (`enabled=false&company_cif=B86`)"),
    ("joinup ordered (enabled_date)", "/joinup/api/company/employees/?page_size=100&ordering=-enabled_date", joinup,
     "Joinup ordered by `-enabled_date`"),
    ("joinup ordered (company_name)", "/joinup/api/company/employees/?page_size=100&ordering=company_name,-id", joinup,
     "Joinup ordered by `company_name,-id`"),
    ("joinup ordered (disabled_date)", "/joinup/api/company/employees/?page_size=100&ordering=disabled_date", joinup,
     "Joinup ordered by `disabled_date`"),
    ("joinup deep page (page=900)", "/joinup/api/company/employees/?page_size=100&page=900", joinup, "Joinup page 900"),
    ("joinup ordered deep page", "/joinup/api/company/employees/?page_size=100&page=900&ordering=enabled_date", joinup,
     "Joinup page 900 ordered by `enabled_date`"),
    ("justworks cursor page 901", cursor_path, justworks, "Justworks members, cursor page 901"),
]
print(f"reads at {COUNT} records: first answer (cold: nothing kept yet) and warm req/s at c=32")
print(f"{'case':<32} {'cold':>9} {'warm req/s':>11}")
reads = []
for name, path, auth, documented in cases:
    cold, _ = call(base, path, auth=auth)
    warm = wrk(base + path, auth)
    print(f"{name:<32} {cold:>6.1f} ms {warm:>11.0f}")
    reads.append((documented, cold, warm))
proc.terminate(); proc.wait()
if COUNT == DOCUMENTED_COUNT:
    large_data(TABLES, COUNT, seeded, reads)
else:
    print(f"docs/generated/large-data.md not written: it shows {DOCUMENTED_COUNT:,} records")
