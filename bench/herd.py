#!/usr/bin/env python3
"""N devices ask at once for the same URL; prints each latency percentile and the distinct Location headers.

usage: herd.py URL N        (stdlib only: one thread per device, released together by a barrier)
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def main():
    url, n = sys.argv[1], int(sys.argv[2])
    u = urllib.parse.urlsplit(url)
    path = u.path + ("?" + u.query if u.query else "")
    barrier = threading.Barrier(n)
    results = [None] * n

    def device(i):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        conn.connect()
        barrier.wait()
        t0 = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
        results[i] = (time.perf_counter() - t0, r.status, r.getheader("Location"))
        conn.close()

    threads = [threading.Thread(target=device, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat = sorted(r[0] * 1000 for r in results)
    pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * len(lat))) - 1)]
    print(json.dumps({
        "devices": n,
        "statuses": sorted({r[1] for r in results}),
        "locations": sorted({r[2] or "" for r in results}),
        "p50_ms": round(pct(50), 1), "p99_ms": round(pct(99), 1), "max_ms": round(lat[-1], 1),
    }))


if __name__ == "__main__":
    main()
