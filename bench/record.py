#!/usr/bin/env python3
"""What one exchange costs `hr-sandbox record` as its file grows: a recorder in front of a
seed-7 hr-sandbox, COUNT exchanges one after another on one connection (ChiefOnboarding's
employee list, about 5 KB an answer), then the median and mean time of the first and the last
100 exchanges, the slowest, and the file's size. The upstream alone is timed too, for scale.
Loopback only; run it under the build lock (bench/run's rule: one heavy thing at a time).

    bench/record.py RECORDER_BINARY [COUNT] [UPSTREAM_BINARY]
"""
import http.client, json, os, socket, statistics, subprocess, sys, tempfile, time, urllib.request

RECORDER = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
UPSTREAM = sys.argv[3] if len(sys.argv) > 3 else RECORDER
PATH = "/api/employees/"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    return port


def wait(base):
    for _ in range(500):
        try:
            urllib.request.urlopen(base + "/__admin/health"); return
        except OSError:
            time.sleep(0.02)
    sys.exit(f"{base} did not start")


def timed(port, auth, count, prefix="", progress=False):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", prefix + PATH, headers={"Authorization": auth})
        answer = conn.getresponse(); answer.read()
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status == 200, answer.status
        if progress and len(times) % 100 == 0:
            print(summary(f"  exchanges {len(times) - 99}-{len(times)}", times[-100:]), flush=True)
    return times


def summary(name, times):
    return f"{name}: median {statistics.median(times):.2f} ms, mean {statistics.mean(times):.2f} ms"


port = free_port()
upstream = subprocess.Popen([UPSTREAM, "--port", str(port), "--seed", "7", "--workers", "1", "--rate-limits", "off"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
wait(base)
creds = json.load(urllib.request.urlopen(base + "/__admin/credentials"))
auth = creds["chiefonboarding"]["admin"]["authorization"]
out = os.path.join(tempfile.mkdtemp(), "bench.har")
recorder = subprocess.Popen([RECORDER, "record", "--vendor", "chiefonboarding", "--upstream", base + "/chiefonboarding",
                             "--port", "0", "--out", out], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = recorder.stdout.readline()
record_port = int(line.rsplit(":", 1)[1])
try:
    direct = timed(port, auth, 100, "/chiefonboarding")
    times = timed(record_port, auth, COUNT, progress=True)
finally:
    recorder.terminate(); recorder.wait(30)
    upstream.terminate(); upstream.wait(30)
entries = len(json.load(open(out))["log"]["entries"])
print(f"{COUNT} exchanges, file {os.path.getsize(out) / 1e6:.1f} MB, {entries} entries after SIGTERM")
print(summary("upstream alone (100)", direct))
print(summary("exchanges 1-100", times[:100]))
print(summary(f"exchanges {COUNT - 99}-{COUNT}", times[-100:]))
print(f"slowest exchange: {max(times):.1f} ms; all {COUNT}: {sum(times) / 1000:.1f} s")
