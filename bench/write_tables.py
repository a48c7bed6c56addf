#!/usr/bin/env python3
"""Writes the benchmark's tables as Markdown files the docs site includes (docs/performance.md
pulls them in with `--8<--`), so the numbers on the site are the last run's, never typed by hand.

    bench/write_tables.py performance OUT WORK LIST_PATH IDENTITY ITEMS BYTES ROUNDS DURATION LARGE_COUNT

reads what bench/run left in WORK: `startup` (its printed startup lines), `results` (one
`CONNECTIONS SERVER REQ/S P99_MS CPU_US` line per wrk run) and `engine` (one `REQ/S P99 CPU` pair
per round, without rules then with 50). bench/large.py calls `large_data` itself.
"""
import datetime
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def provenance():
    """When, where and on which commit: the caption's facts."""
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "an unknown commit"
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return when, commit, os.cpu_count()


def thousands(rps):
    return f"{rps / 1000:.1f}k"


def write(out, comment, lines):
    with open(out, "w") as f:
        f.write("\n".join([f"<!-- {comment}; do not edit by hand. -->", *lines]) + "\n")
    print(f"wrote {out}")


def performance(out, work, list_path, identity, items, size, rounds, duration, large_count):
    startup = {}
    for line in open(os.path.join(work, "startup")):
        found = re.match(r"^(.*?)\s+([\d.]+) ms\s+([\d.]+) MiB$", line.strip())
        if found:
            startup[found.group(1)] = (float(found.group(2)), float(found.group(3)))
    runs = {}
    for line in open(os.path.join(work, "results")):
        c, name, *values = line.split()
        runs.setdefault((int(c), name), []).append([float(v) for v in values])
    med = {key: [statistics.median(column) for column in zip(*values)] for key, values in runs.items()}
    engine = [[float(v) for v in line.split()] for line in open(os.path.join(work, "engine")) if line.strip()]
    plain_rps, _, _, rules_rps, _, _ = (statistics.median(column) for column in zip(*engine))
    when, commit, cores = provenance()
    names = ("dist", "plain", "release", "static")
    labels = {"dist": "hr-sandbox (dist)", "plain": "hr-sandbox (dist, no PGO)", "release": "hr-sandbox (release)",
              "static": "static (dist)"}

    def row(label, cells, ratio="", target=""):
        return f"| {label} | {' | '.join(cells)} | {ratio} | {target} |"

    def ratio(c, column):
        return f"{med[(c, 'dist')][column] / med[(c, 'static')][column]:.2f}"

    lines = [
        f"`ROUNDS={rounds} DURATION={duration} LARGE_COUNT={large_count} bench/run` on {cores} cores, {when}, commit",
        f"{commit}: `GET {list_path}` ({items} items, {int(size) / 1000:.1f} KB) as `{identity}`; medians of {rounds}",
        f"interleaved rounds of {duration} s, server on core 0, wrk on core 1.",
        "",
        "| | hr-sandbox `dist` (published, PGO) | `dist` without PGO | hr-sandbox `release` | static actix (`dist`, same bytes) | dist / static | target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        row("startup to first 200 (all vendors, default data)", [f"{startup[labels[n]][0]:.1f} ms" for n in names], "", "< 25 ms"),
        row("idle RSS, all default data", [f"{startup[labels[n]][1]:.1f} MiB" for n in names], "", "< 20 MiB"),
    ]
    for c, rps_target, cpu_target in ((1, "", "<= 1.2"), (32, ">= 0.9", "<= 1.15")):
        first = f"Joinup page of {items} ({int(size) / 1000:.1f} KB), c={c}" if c == 1 else f"same, c={c}"
        lines.append(row(f"{first}: req/s, p99", [f"{thousands(med[(c, n)][0])}, {med[(c, n)][1]:.2f} ms" for n in names],
                         ratio(c, 0), rps_target))
        lines.append(row(f"same, c={c}: CPU us/request", [f"{med[(c, n)][2]:.1f}" for n in names], ratio(c, 2), cpu_target))
    def per_dist(name):
        return ", ".join(f"{med[(c, name)][2] / med[(c, 'dist')][2]:.2f}" for c in (1, 32))

    lines += [
        row("CPU per request / dist's (c=1, c=32)", ["", per_dist("plain"), per_dist("release"), ""]),
        "",
        f"The scenario engine, c=32: {thousands(plain_rps)} req/s with no rules, {thousands(rules_rps)} with 50 active rules",
        f"that never match this path ({rules_rps / plain_rps:.2f} of the req/s).",
    ]
    write(out, "Written by bench/run (its default case: the Joinup page of 100)", lines)


def large_data(out, count, seeded, reads):
    """seeded: (label, records, ms, MiB, bytes per record); reads: (label, cold ms, warm req/s)."""
    when, commit, cores = provenance()
    lines = [
        f"`bench/large.py` (from `bench/run`) on {cores} cores, {when}, commit {commit}: {count:,} records per",
        "vendor (Joinup: per tenant), one fresh server per vendor, server on core 0, wrk on core 1.",
        "",
        "| vendor | records seeded | seeding | memory | per record |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {label} | {records:,} | {ms:,.0f} ms | {mib:,.0f} MiB | {per / 1024:.1f} KiB |"
          for label, records, ms, mib, per in seeded),
        "",
        f"Reads at {count:,} records; \"cold\" is the first answer after a change, \"warm\" the same URL again",
        "(wrk, c=32):",
        "",
        "| request | cold | warm |",
        "| --- | --- | --- |",
        *(f"| {label} | {cold:.1f} ms | {thousands(warm)} req/s |" for label, cold, warm in reads),
    ]
    write(out, f"Written by bench/large.py (run by bench/run) at {count:,} records", lines)


if __name__ == "__main__":
    if len(sys.argv) != 11 or sys.argv[1] != "performance":
        sys.exit(__doc__)
    performance(*sys.argv[2:])
