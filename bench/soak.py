#!/usr/bin/env python3
"""The soak benchmark's driver (bench/soak.sh starts the service, then runs this; standard library only, http.client
so that no redirect is followed behind the bench's back).

Mixed traffic at a bounded rate: a scheduler starts R requests a second (a kind drawn by weight for each), handed to
a pool of worker threads; when every worker is busy and the queue is full, the tick is counted as skipped rather
than queued without bound. The kinds:

  upload    POST /v1/apps/<app>/bundles: examples/hello as a .tar.gz built in memory, its EXIT_CODE define varied
            (a new variant one time in four, else one uploaded before: 201 or 200)
  release   PUT /v1/apps/<app>/channels/{stable,beta} to an uploaded bundle (at most one every RELEASE_EVERY s; the
            release prebuilds the baselines)
  build     POST /v1/builds {bundle, target}: a random catalog target of x86_64/aarch64/armv7/i686/riscv64 (at most one
            start every BUILD_EVERY s: each really compiles)
  boot      GET /v1/boot/<app>/stable?cpu=<compact> for a few corpus fingerprints, 307 followed, then the 302's
            image downloaded and its sha256 checked against its URL
  range     GET /v1/images/sha256/<hex> with Range: bytes=a-b: 206, Content-Range and the bytes checked
  read      listings and documents: apps, bundles, channels, builds, a build's log, targets, keys, stats, health
  garbage   malformed requests, each of which must get a 4xx application/problem+json answer

A tick of a gated kind (release, build) that comes too early becomes a read.

Every S seconds a sampler thread records the service's resources (see bench/soak.sh); after the traffic it waits
for the builds to drain and takes a last sample, then prints the table, the requests, and the verdict.

    python3 bench/soak.py --port P --pid PID --token-file F --data DIR --tmp DIR [--minutes N] [--rate R]
                          [--sample-seconds S] [--out DIR]
"""
import argparse
import collections
import datetime
import gzip
import hashlib
import http.client
import io
import json
import os
import platform
import queue
import random
import signal
import subprocess
import sys
import tarfile
import threading
import time
import urllib.parse

from benchlib import log, host_cpu, table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELLO_C = os.path.join(ROOT, "examples", "hello", "src", "hello.c")
FINGERPRINTS = os.path.join(ROOT, "src", "test", "resources", "fingerprints")
APPS = ["soak-a", "soak-b", "soak-c"]
ARCHS = ("x86_64", "aarch64", "armv7", "i686", "riscv64")
WORKERS = 32
WEIGHTS = {"boot": 25, "range": 20, "garbage": 20, "upload": 10, "read": 15, "release": 5, "build": 5}
RELEASE_EVERY = 10.0
BUILD_EVERY = 4.0
NEW_VARIANT = 0.25
MAX_HOPS = 4
# the documented 503s that ask the client to come back (Retry-After): a boot whose wait ended before even the
# architecture's baseline was built, or a full queue. A device retries them; the soak too (BOOT_TRIES in all).
RETRY_CODES = ("boot.building", "boot.queue_full", "build.queue_full")
BOOT_TRIES = 4
KINDS = ["upload", "release", "build", "boot", "image", "range", "read", "garbage"]

# the tolerances of the verdict: last sample (after the drain) against the one that ends the first third
TOL = {"heap_gc": (0.20, 8 << 20), "rss": (0.20, 48 << 20), "fds": (0.20, 10), "threads": (0.20, 10),
       "sandboxes": (0.20, 4), "tmp": (0.0, 0), "work": (0.0, 0)}


# ---------------------------------------------------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection per thread to the service; never follows redirects."""

    def __init__(self, port, timeout=60):
        self.port = port
        self.timeout = timeout
        self.local = threading.local()

    def request(self, method, path, body=None, headers=None, fresh=False):
        """(status, headers (lowercase), body, ms); raises OSError/HTTPException when there is no answer."""
        for attempt in range(2):
            conn = None if fresh else getattr(self.local, "conn", None)
            reused = conn is not None
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if not fresh:
                    self.local.conn = conn
            try:
                t0 = time.perf_counter()
                conn.request(method, path, body=body, headers=headers or {})
                r = conn.getresponse()
                data = r.read()
                ms = (time.perf_counter() - t0) * 1000
                h = {k.lower(): v for k, v in r.getheaders()}
                if fresh or r.will_close:
                    conn.close()
                    if not fresh:
                        self.local.conn = None
                return r.status, h, data, ms
            except (http.client.HTTPException, OSError):
                conn.close()
                if not fresh:
                    self.local.conn = None
                # a kept-alive connection the server closed meanwhile: ask once more on a new one
                if attempt == 1 or not reused:
                    raise


def retry_503(status, h, data):
    """A documented 503 asking the client to come back after Retry-After (RETRY_CODES)."""
    return status == 503 and bool((h or {}).get("retry-after")) and problem_code(data) in RETRY_CODES


def problem_code(data):
    try:
        doc = json.loads(data)
        return doc.get("code") if isinstance(doc, dict) else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------------- stats


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.defaultdict(collections.Counter)  # kind -> status class -> n
        self.lat = collections.defaultdict(list)  # kind -> ms
        self.codes = collections.defaultdict(collections.Counter)  # kind -> "status code" -> n (4xx/5xx)
        self.fivexx = []  # the first ones, in detail
        self.errors = []  # requests without an answer
        self.wrong = []  # answers other than specified (garbage not a 4xx problem, bad bytes, ...)
        self.skipped = 0
        self.total = 0

    def add(self, kind, method, path, status, ms, data=b"", h=None):
        cls = f"{status // 100}xx" if status != 429 else "429"
        if retry_503(status, h, data):
            cls = "503 retry"
        with self.lock:
            self.total += 1
            self.counts[kind][cls] += 1
            self.lat[kind].append(ms)
            if status >= 400:
                self.codes[kind][f"{status} {problem_code(data) or '-'}"] += 1
            if cls == "5xx" and len(self.fivexx) < 50:
                self.fivexx.append(f"{kind}: {method} {path[:120]} -> {status} {problem_code(data) or ''} "
                                   f"{data[:300].decode('utf-8', 'replace')}")

    def error(self, kind, method, path, e):
        with self.lock:
            self.total += 1
            self.counts[kind]["no answer"] += 1
            if len(self.errors) < 50:
                self.errors.append(f"{kind}: {method} {path[:120]}: {type(e).__name__}: {e}")

    def bad(self, msg):
        with self.lock:
            if len(self.wrong) < 100:
                self.wrong.append(msg)
            self.counts["_wrong"]["n"] += 1

    def n5xx(self):
        with self.lock:
            return sum(c.get("5xx", 0) for c in self.counts.values())

    def nretry(self):
        with self.lock:
            return sum(c.get("503 retry", 0) for c in self.counts.values())

    def nerr(self):
        with self.lock:
            return sum(c.get("no answer", 0) for c in self.counts.values())


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# ---------------------------------------------------------------------------------------------------------- bundles


def tar_gz(files, gz=True):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data, kind in files:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if kind == "sym":
                info.type = tarfile.SYMTYPE
                info.linkname = data
                tar.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0) if gz else raw.getvalue()


def hello_bundle(app, variant):
    with open(HELLO_C, "rb") as f:
        src = f.read()
    src += f"/* soak variant {variant} */\n".encode()
    manifest = (f"name: {app}\nversion: 1.0.{variant}\nsources: [src/*.c]\noptimize: size\n"
                f"defines: {{EXIT_CODE: \"{variant % 100}\"}}\nheap: 64K\n").encode()
    return tar_gz([("tailor.yaml", manifest, "file"), ("src/hello.c", src, "file")])


def compacts(limit_per_arch=2):
    """A few compact fingerprints of the corpus: <arch>:<flags or Features line>, the first of each architecture."""
    with open(os.path.join(FINGERPRINTS, "index.json")) as f:
        index = json.load(f)
    out, per = [], collections.Counter()
    for e in index:
        arch = e.get("arch")
        if per[arch] >= limit_per_arch + 2:  # a spare or two: the service may refuse some
            continue
        try:
            with open(os.path.join(FINGERPRINTS, e["path"]), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        key = "flags" if arch == "x86_64" else "features"
        line = next((v.strip() for k, s, v in (ln.partition(":") for ln in text.splitlines())
                     if s and k.strip().lower() == key), None)
        if line:
            out.append((arch, e["path"], arch + ":" + ",".join(line.split())))
            per[arch] += 1
    return out


# ---------------------------------------------------------------------------------------------------------- traffic


class Soak:
    def __init__(self, args, token):
        self.args = args
        self.token = token
        self.http = Client(args.port)
        self.stats = Stats()
        self.lock = threading.Lock()
        self.rng = random.Random(20261203)
        self.variants = {a: {} for a in APPS}  # app -> variant -> digest
        self.next_variant = {a: 0 for a in APPS}
        self.released = {a: set() for a in APPS}  # channels with a release
        self.images = {}  # hex -> bytes (checked)
        self.builds = []  # ids
        self.targets = []
        self.fingerprints = []
        self.last_release = 0.0
        self.last_build = 0.0
        self.garbage_kinds = collections.Counter()
        self.boots = collections.Counter()  # how boots ended: tuned, pending (the baseline meanwhile), gave up, ...

    def rand(self):
        with self.lock:
            return random.Random(self.rng.random())

    def auth(self, extra=None):
        h = {"Authorization": "Bearer " + self.token}
        h.update(extra or {})
        return h

    def call(self, kind, method, path, body=None, headers=None, expect=None, fresh=False):
        try:
            status, h, data, ms = self.http.request(method, path, body, headers, fresh=fresh)
        except (http.client.HTTPException, OSError) as e:
            self.stats.error(kind, method, path, e)
            return None, {}, b""
        self.stats.add(kind, method, path, status, ms, data, h)
        if expect and status not in expect and status != 429 and status < 500:
            self.stats.bad(f"{kind}: {method} {path[:100]} answered {status} {problem_code(data) or ''} "
                           f"(expected {'/'.join(map(str, expect))}) {data[:200].decode('utf-8', 'replace')}")
        return status, h, data

    # -- setup

    def setup(self):
        status, _, data, _ = self.http.request("GET", "/v1/targets")
        if status != 200:
            raise SystemExit(f"soak: GET /v1/targets answered {status}")
        self.targets = [t["id"] for t in json.loads(data) if t.get("arch") in ARCHS]
        for arch, path, cpu in compacts():
            if sum(1 for f in self.fingerprints if f[0] == arch) >= 2:
                continue
            status, _, _, _ = self.http.request(
                "POST", "/v1/fingerprints/resolve?cpu=" + urllib.parse.quote(cpu, safe=""))
            if status == 200:
                self.fingerprints.append((arch, path, cpu))
        for app in APPS:
            self.upload(app, new=True)
            self.release(app, channel="stable", force=True)

    # -- kinds

    def upload(self, app=None, new=None):
        r = self.rand()
        app = app or r.choice(APPS)
        with self.lock:
            known = list(self.variants[app])
            if new or not known or r.random() < NEW_VARIANT:
                variant = self.next_variant[app]
                self.next_variant[app] += 1
            else:
                variant = r.choice(known)
        status, _, data = self.call("upload", "POST", f"/v1/apps/{app}/bundles", hello_bundle(app, variant),
                                    self.auth({"Content-Type": "application/gzip"}), expect=(200, 201))
        if status in (200, 201):
            digest = json.loads(data)["digest"]
            with self.lock:
                old = self.variants[app].get(variant)
                self.variants[app][variant] = digest
            if old and old != digest:
                self.stats.bad(f"upload: variant {variant} of {app} got {digest}, before {old}")

    def release(self, app=None, channel=None, force=False):
        r = self.rand()
        now = time.monotonic()
        with self.lock:
            if not force and now - self.last_release < RELEASE_EVERY:
                gated = True
            else:
                gated = False
                self.last_release = now
        if gated:
            return self.read()
        app = app or r.choice(APPS)
        channel = channel or ("stable" if r.random() < 0.7 else "beta")
        with self.lock:
            digests = list(self.variants[app].values())
        if not digests:
            return self.read()
        digest = r.choice(digests)
        status, _, data = self.call("release", "PUT", f"/v1/apps/{app}/channels/{channel}",
                                    json.dumps({"bundle": digest}).encode(),
                                    self.auth({"Content-Type": "application/json"}), expect=(200,))
        if status == 200:
            with self.lock:
                self.released[app].add(channel)

    def build(self):
        r = self.rand()
        now = time.monotonic()
        with self.lock:
            gated = now - self.last_build < BUILD_EVERY
            if not gated:
                self.last_build = now
            pairs = [(a, d) for a in APPS for d in self.variants[a].values()]
        if gated or not pairs or not self.targets:
            return self.read()
        app, digest = r.choice(pairs)
        target = r.choice(self.targets)
        status, _, data = self.call("build", "POST", "/v1/builds?wait=0",
                                    json.dumps({"bundle": digest, "target": target}).encode(),
                                    self.auth({"Content-Type": "application/json"}), expect=(200, 202))
        if status in (200, 202):
            doc = json.loads(data)
            with self.lock:
                self.builds.append(doc["id"])
                del self.builds[:-200]
            if doc.get("status") == "failed":
                self.stats.bad(f"build: {app} {digest[:19]} for {target} failed: {doc.get('error')}")

    def boot(self):
        r = self.rand()
        with self.lock:
            apps = [a for a in APPS if "stable" in self.released[a]]
        if not apps or not self.fingerprints:
            return self.read()
        app = r.choice(apps)
        arch, _, cpu = r.choice(self.fingerprints)
        first = f"/v1/boot/{app}/stable?cpu=" + urllib.parse.quote(cpu, safe="")
        for _ in range(BOOT_TRIES):
            path = first
            for _ in range(MAX_HOPS):
                status, h, data = self.call("boot", "GET", path, expect=(302, 307, 503))
                if status == 307 and h.get("location"):
                    path = urllib.parse.urljoin(path, h["location"])
                    continue
                break
            if status == 503 and retry_503(status, h, data):
                with self.lock:
                    self.boots["(retries after a 503)"] += 1
                time.sleep(min(5.0, float(h["retry-after"])))  # as a device does
                continue
            break
        with self.lock:
            if status == 302:
                self.boots["pending (baseline meanwhile)" if (h.get("tailor-tuned") or "").lower() == "pending"
                           else "tuned"] += 1
            elif status == 503 and retry_503(status, h, data):
                self.boots[f"gave up after {BOOT_TRIES} tries"] += 1
            else:
                self.boots[f"ended {status}"] += 1
        if status != 302:
            return
        loc = urllib.parse.urlsplit(urllib.parse.urljoin(path, h.get("location", "")))
        if not loc.path.startswith("/v1/images/sha256/"):
            self.stats.bad(f"boot: {app} for {arch} redirected to {h.get('location')}")
            return
        hexd = loc.path.rsplit("/", 1)[1]
        with self.lock:
            have = hexd in self.images
        if have and r.random() < 0.8:
            return  # a device that has the image already
        status, h, data = self.call("image", "GET", loc.path, expect=(200,))
        if status == 200:
            if hashlib.sha256(data).hexdigest() != hexd:
                self.stats.bad(f"image: {loc.path} has sha256 {hashlib.sha256(data).hexdigest()}")
            else:
                with self.lock:
                    self.images[hexd] = data
                    if len(self.images) > 300:
                        self.images.pop(next(iter(self.images)))

    def range(self):
        r = self.rand()
        with self.lock:
            if not self.images:
                chosen = None
            else:
                chosen = r.choice(list(self.images.items()))
        if chosen is None:
            return self.boot()
        hexd, body = chosen
        a = r.randrange(len(body))
        b = min(len(body) - 1, a + r.randrange(1, 65536))
        status, h, data = self.call("range", "GET", f"/v1/images/sha256/{hexd}", headers={"Range": f"bytes={a}-{b}"},
                                    expect=(206,))
        if status == 206:
            if data != body[a:b + 1] or h.get("content-range") != f"bytes {a}-{b}/{len(body)}":
                self.stats.bad(f"range: {hexd[:12]} bytes={a}-{b}: {len(data)} bytes, Content-Range "
                               f"{h.get('content-range')}, {'same' if data == body[a:b + 1] else 'other'} bytes")

    def read(self):
        r = self.rand()
        app = r.choice(APPS)
        with self.lock:
            builds = list(self.builds[-50:])
            images = list(self.images)
        choices = [("/v1/apps", True), (f"/v1/apps/{app}/bundles", True), (f"/v1/apps/{app}/channels/stable", True),
                   ("/v1/builds?limit=20", True), ("/v1/targets", False), ("/v1/keys", False),
                   (f"/v1/apps/{app}/stats/targets", False), (f"/v1/apps/{app}/stats/timeline", True),
                   ("/actuator/health", False)]
        if builds:
            bid = r.choice(builds)
            choices += [(f"/v1/builds/{bid}", True), (f"/v1/builds/{bid}", True)]
        if images:
            hexd = r.choice(images)
            choices += [(f"/v1/images/sha256/{hexd}.sig", False), (f"/v1/images/sha256/{hexd}/provenance", False)]
        path, auth = r.choice(choices)
        status, _, data = self.call("read", "GET", path, headers=self.auth() if auth else None, expect=(200,))
        if status == 200 and path.startswith("/v1/builds/"):
            doc = json.loads(data)
            if doc.get("status") in ("succeeded", "failed") and r.random() < 0.3:
                self.call("read", "GET", path + "/log", headers=self.auth(), expect=(200,))

    # -- garbage: (name, method, path, body, headers, expected status) or a callable doing it

    def garbage_list(self):
        app = APPS[0]
        a = self.auth
        ctj = {"Content-Type": "application/json"}
        ctg = {"Content-Type": "application/gzip"}
        hexz = "0" * 64
        bomb = tar_gz([("tailor.yaml", b"name: soak-a\nversion: 1.0.0\nsources: [src/*.c]\n", "file"),
                       ("src/zero.c", b"\0" * (3 << 20), "file")])
        huge_fp = b"processor : 0\nflags : " + b"sse2 " * 60000 + b"\n"
        return [
            ("malformed json release", "PUT", f"/v1/apps/{app}/channels/stable", b'{"bundle": ', a(ctj), (400,)),
            ("malformed json build", "POST", "/v1/builds", b"{not json", a(ctj), (400,)),
            ("json array build", "POST", "/v1/builds", b"[1,2,3]", a(ctj), (400, 422)),
            ("empty build", "POST", "/v1/builds", b"{}", a(ctj), (422,)),
            ("build unknown target", "POST", "/v1/builds",
             json.dumps({"bundle": "sha256:" + hexz, "target": "x86_64-nope"}).encode(), a(ctj), (404, 422)),
            ("build bad digest", "POST", "/v1/builds", b'{"bundle":"sha256:xyz","target":"x86_64-v1"}', a(ctj),
             (400, 422)),
            ("release bad digest", "PUT", f"/v1/apps/{app}/channels/stable", b'{"bundle":"md5:abc"}', a(ctj),
             (400, 422)),
            ("release unknown bundle", "PUT", f"/v1/apps/{app}/channels/stable",
             json.dumps({"bundle": "sha256:" + hexz}).encode(), a(ctj), (422,)),
            ("image bad digest", "GET", "/v1/images/sha256/NOTHEX", None, {}, (400,)),
            ("image short digest", "GET", "/v1/images/sha256/abc123", None, {}, (400,)),
            ("image unknown", "GET", f"/v1/images/sha256/{hexz}", None, {}, (404,)),
            ("image range past end", "GET", None, None, None, (416,)),
            ("bundle bad digest", "GET", f"/v1/apps/{app}/bundles/sha256/zz", None, a(), (400,)),
            ("bad app name upload", "POST", "/v1/apps/Bad_Name!/bundles", b"x", a(ctg), (400,)),
            ("bad app name boot", "GET", "/v1/boot/UPPER/stable?cpu=x86_64:sse2", None, {}, (400,)),
            ("bad channel name", "GET", f"/v1/apps/{app}/channels/-no-", None, a(), (400,)),
            ("unknown channel boot", "GET", f"/v1/boot/{app}/nochannel?cpu=x86_64:sse2", None, {}, (404,)),
            ("bad fingerprint", "GET", f"/v1/boot/{app}/stable?cpu=zz80:%01%02", None, {}, (400,)),
            ("bad wait", "GET", f"/v1/boot/{app}/stable?cpu=x86_64:sse2&wait=-3", None, {}, (400,)),
            ("not a tar", "POST", f"/v1/apps/{app}/bundles", os.urandom(2048), a(ctg), (400,)),
            ("not gzip", "POST", f"/v1/apps/{app}/bundles", b"\x1f\x8b" + os.urandom(500), a(ctg), (400,)),
            ("tar path traversal", "POST", f"/v1/apps/{app}/bundles",
             tar_gz([("tailor.yaml", b"name: soak-a\n", "file"), ("../../etc/evil", b"x", "file")]), a(ctg), (400,)),
            ("tar absolute path", "POST", f"/v1/apps/{app}/bundles",
             tar_gz([("tailor.yaml", b"name: soak-a\n", "file"), ("/etc/evil", b"x", "file")]), a(ctg), (400,)),
            ("tar symlink", "POST", f"/v1/apps/{app}/bundles",
             tar_gz([("tailor.yaml", b"name: soak-a\n", "file"), ("src/x.c", "/etc/passwd", "sym")]), a(ctg), (400,)),
            ("tar no manifest", "POST", f"/v1/apps/{app}/bundles", tar_gz([("src/x.c", b"int x;", "file")]), a(ctg),
             (400,)),
            ("manifest invalid", "POST", f"/v1/apps/{app}/bundles",
             tar_gz([("tailor.yaml", b"name: soak-a\nversion: [\noptimize: 7\n", "file")]), a(ctg), (400, 422)),
            ("manifest other name", "POST", f"/v1/apps/{app}/bundles",
             tar_gz([("tailor.yaml", b"name: other\nversion: 1.0.0\nsources: [src/*.c]\n", "file"),
                     ("src/x.c", b"int main(void){return 0;}", "file")]), a(ctg), (422,)),
            ("compression bomb", "POST", f"/v1/apps/{app}/bundles", bomb, a(ctg), (413,)),
            ("unsupported type", "POST", f"/v1/apps/{app}/bundles", b"hello", a({"Content-Type": "text/plain"}),
             (415,)),
            ("oversized fingerprint", "POST", "/v1/fingerprints/resolve", huge_fp, {"Content-Type": "text/plain"},
             (413,)),
            ("oversized upload announced", None, None, None, None, (413,)),
            ("oversized upload streamed", None, None, None, None, (413,)),
            ("missing token", "POST", f"/v1/apps/{app}/bundles", b"x", ctg, (401,)),
            ("bad token", "GET", "/v1/apps", None, {"Authorization": "Bearer nope"}, (401,)),
            ("unknown path", "GET", "/v1/nothing/here", None, {}, (404,)),
            ("unknown path deep", "POST", "/v2/boot", b"x", {}, (404,)),
            ("wrong method targets", "DELETE", "/v1/targets", None, {}, (405,)),
            ("wrong method image", "POST", f"/v1/images/sha256/{hexz}", b"x", {}, (405,)),
            ("wrong method channel", "PATCH", f"/v1/apps/{app}/channels/stable", b"{}", a(ctj), (405,)),
            ("unknown build", "GET", f"/v1/builds/{hexz}", None, a(), (404,)),
            ("bad build id", "GET", "/v1/builds/xyz", None, a(), (400,)),
            ("bad build status", "GET", "/v1/builds?status=weird", None, a(), (400,)),
        ]

    def garbage(self, items):
        r = self.rand()
        name, method, path, body, headers, expect = r.choice(items)
        self.garbage_kinds[name] += 1
        fresh = False
        if name == "image range past end":
            with self.lock:
                imgs = list(self.images.items())
            if not imgs:
                return
            hexd, data = r.choice(imgs)
            method, path, headers = "GET", f"/v1/images/sha256/{hexd}", {"Range": f"bytes={len(data) + 10}-"}
        elif name == "oversized upload announced":
            return self.oversized(name, announced=True)
        elif name == "oversized upload streamed":
            return self.oversized(name, announced=False)
        status, h, data = self.call("garbage", method, path, body, headers, fresh=fresh)
        self.check_problem(name, method, path, status, h, data, expect)

    def check_problem(self, name, method, path, status, h, data, expect):
        if status is None:
            return
        ctype = h.get("content-type", "")
        if not (400 <= status < 500) or status == 429:
            if status < 500 and status != 429:
                self.stats.bad(f"garbage '{name}': {method} {path[:80]} answered {status}, not a 4xx")
            return
        if not ctype.startswith("application/problem+json") or not problem_code(data):
            self.stats.bad(f"garbage '{name}': {method} {path[:80]} answered {status} without a problem document "
                           f"({ctype}: {data[:120]!r})")
        elif status not in expect:
            # still a 4xx problem: counted apart, not a failure
            self.stats.bad(f"NOTE garbage '{name}': {status} {problem_code(data)} (expected "
                           f"{'/'.join(map(str, expect))})")

    def oversized(self, name, announced):
        """An upload past tailor.bundles.max-upload (1 MB here): announced by its Content-Length (refused before
        reading), or streamed chunked (refused once past the limit). On a connection of its own."""
        path = f"/v1/apps/{APPS[0]}/bundles"
        conn = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=30)
        t0 = time.perf_counter()
        try:
            conn.putrequest("POST", path)
            for k, v in self.auth({"Content-Type": "application/gzip"}).items():
                conn.putheader(k, v)
            try:
                if announced:
                    conn.putheader("Content-Length", str(2 << 30))
                    conn.endheaders(b"\x1f\x8b" + b"\0" * 4094)
                else:
                    conn.putheader("Transfer-Encoding", "chunked")
                    conn.endheaders()
                    chunk = b"\x1f\x8b" + b"\0" * 65534
                    for _ in range(20):  # 1.25 MiB
                        conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    conn.send(b"0\r\n\r\n")
            except OSError:
                pass  # the service answered and closed while the body was still going: read its answer
            r = conn.getresponse()
            data = r.read()
            h = {k.lower(): v for k, v in r.getheaders()}
        except (http.client.HTTPException, OSError) as e:
            self.stats.error("garbage", "POST", path + f" ({name})", e)
            return
        finally:
            conn.close()
        self.stats.add("garbage", "POST", path, r.status, (time.perf_counter() - t0) * 1000, data, h)
        self.check_problem(name, "POST", path, r.status, h, data, (413,))


# ---------------------------------------------------------------------------------------------------------- samples


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def descendants(pid):
    """(pid, comm) of every process under pid."""
    children = collections.defaultdict(list)
    comm = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        lp, rp = s.find("("), s.rfind(")")
        comm[int(d)] = s[lp + 1:rp]
        ppid = int(s[rp + 2:].split()[1])
        children[ppid].append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append((c, comm.get(c)))
            todo.append(c)
    return out


def tree(path):
    """(files, bytes) under path."""
    n = size = 0
    for dp, dns, fns in os.walk(path):
        for fn in fns:
            n += 1
            try:
                size += os.lstat(os.path.join(dp, fn)).st_size
            except OSError:
                pass
    return n, size


def heap_used(http_):
    status, _, data, _ = http_.request("GET", "/actuator/metrics/jvm.memory.used?tag=area:heap")
    if status != 200:
        return None
    return json.loads(data)["measurements"][0]["value"]


def sample(soak, t0, label):
    args = soak.args
    s = {"t": round(time.monotonic() - t0), "label": label}
    http_ = Client(args.port)
    try:
        s["heap"] = heap_used(http_)
        subprocess.run(["jcmd", str(args.pid), "GC.run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60)
        s["heap_gc"] = heap_used(http_)
    except (OSError, ValueError, subprocess.SubprocessError, http.client.HTTPException) as e:
        log(f"soak: heap sample failed: {e}")
        s["heap"] = s.get("heap")
        s["heap_gc"] = None
    st = proc_status(args.pid)
    s["rss"] = int(st["VmRSS"].split()[0]) * 1024
    s["threads"] = int(st["Threads"])
    s["fds"] = len(os.listdir(f"/proc/{args.pid}/fd"))
    procs = descendants(args.pid)
    s["sandboxes"] = sum(1 for _, c in procs if c == "bwrap")
    s["procs"] = len(procs)
    s["tmp"] = tree(args.tmp)[0]
    s["work"] = tree(os.path.join(args.data, "work"))[0]
    s["data_files"], s["data"] = tree(args.data)
    s["requests"] = soak.stats.total
    s["5xx"] = soak.stats.n5xx()
    s["503r"] = soak.stats.nretry()
    return s


def settle(pid, limit=30):
    """Waits until the bubblewrap processes under pid stay the same for 3 s (at most `limit` s)."""
    deadline = time.monotonic() + limit
    last, same = None, 0
    while time.monotonic() < deadline and same < 3:
        n = sum(1 for _, c in descendants(pid) if c == "bwrap")
        same = same + 1 if n == last else 0
        last = n
        time.sleep(1)


def drain(port, token, limit):
    """Waits until no build is queued or running (at most `limit` seconds); the builds still busy."""
    http_ = Client(port)
    deadline = time.monotonic() + limit
    while True:
        busy = 0
        try:
            for status_ in ("queued", "running"):
                st_, _, data, _ = http_.request("GET", f"/v1/builds?status={status_}&limit=500",
                                                headers={"Authorization": "Bearer " + token})
                busy += len(json.loads(data)) if st_ == 200 else 0
        except (OSError, http.client.HTTPException, ValueError):
            return 0
        if not busy or time.monotonic() > deadline:
            return busy
        time.sleep(1)


def mib(b):
    return "-" if b is None else f"{b / (1 << 20):.1f}"


# ---------------------------------------------------------------------------------------------------------- main


def interrupted_by_signal(signum, frame):
    raise KeyboardInterrupt


def main():
    # bench/soak.sh stops the driver with TERM on Ctrl-C (a background job's SIGINT is ignored): both end the
    # traffic and print what was measured
    signal.signal(signal.SIGTERM, interrupted_by_signal)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, interrupted_by_signal)
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--sample-seconds", type=float, default=60)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--jar", default="")
    args = ap.parse_args()
    if args.minutes <= 0 or args.rate <= 0 or args.sample_seconds <= 0:
        raise SystemExit("soak: --minutes, --rate and --sample-seconds must be positive")
    with open(args.token_file) as f:
        token = f.read().strip()

    report = []

    def say(line=""):
        report.append(line)
        print(line, flush=True)

    cpu = host_cpu()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    say("== Tailor soak: mixed traffic at a bounded rate, the service's resources sampled")
    say(f"host CPU: {cpu.get('model name', '?')} ({cpu.get('vendor_id', '?')}), {os.cpu_count()} CPUs, "
        f"{platform.machine()}, Linux {platform.release()}; {started}")
    say(f"service:  {os.path.basename(args.jar) or 'tailor'} on 127.0.0.1:{args.port} (pid {args.pid}), embedded, "
        f"in-process workers, bubblewrap sandbox")
    say(f"traffic:  {args.minutes:g} min at {args.rate:g} requests started/s ({WORKERS} client threads), weights "
        + ", ".join(f"{k} {v}" for k, v in WEIGHTS.items())
        + f"; a release at most every {RELEASE_EVERY:g} s, a build start at most every {BUILD_EVERY:g} s")
    say(f"samples:  every {args.sample_seconds:g} s, and one after the traffic stopped and the builds drained")
    say(f"clients:  boots follow 307s, download the image the first time (sha256 checked) and retry a 503 "
        f"{'/'.join(RETRY_CODES)} after its Retry-After (at most {BOOT_TRIES} tries), as devices do")

    soak = Soak(args, token)
    try:
        soak.setup()
    except KeyboardInterrupt:
        log("soak: interrupted during the setup")
        return 130
    say(f"apps:     {', '.join(APPS)} (examples/hello, EXIT_CODE varied); {len(soak.targets)} targets of "
        f"{'/'.join(ARCHS)}; boots with {len(soak.fingerprints)} corpus fingerprints ("
        + ", ".join(f"{f[0]}: {os.path.basename(f[1])}" for f in soak.fingerprints) + ")")
    garbage_items = soak.garbage_list()
    w0 = time.monotonic()
    try:
        busy = drain(args.port, token, 180)
    except KeyboardInterrupt:
        log("soak: interrupted during the warm-up")
        return 130
    say(f"warm-up:  the first uploads and releases, then {time.monotonic() - w0:.0f} s until their prebuilds were "
        f"done" + (f" ({busy} builds still queued or running after 180 s)" if busy else ""))
    say("")
    # the counts a build changes while it runs (sandboxes, temporary and work files) are judged at rest: this sample,
    # once the sandboxes started ahead stopped changing, against the one after the traffic drained
    try:
        settle(args.pid)
        idle = sample(soak, time.monotonic(), "idle, before")
    except KeyboardInterrupt:
        log("soak: interrupted during the warm-up")
        return 130

    stop = threading.Event()
    q = queue.Queue(maxsize=WORKERS * 2)
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    actions = {"upload": soak.upload, "release": soak.release, "build": soak.build, "boot": soak.boot,
               "range": soak.range, "read": soak.read, "garbage": lambda: soak.garbage(garbage_items)}

    def worker():
        while True:
            kind = q.get()
            if kind is None:
                return
            try:
                actions[kind]()
            except Exception as e:  # a bug of the bench or an answer it could not read: counted, not fatal
                soak.stats.bad(f"{kind}: driver exception {type(e).__name__}: {e}")

    samples = [idle]
    t0 = time.monotonic()

    def sampler():
        n = 0
        while not stop.is_set():
            try:
                s = sample(soak, t0, "")
                samples.append(s)
                log(f"soak: t={s['t']}s heap {mib(s['heap'])} MiB (after GC {mib(s['heap_gc'])}), RSS "
                    f"{mib(s['rss'])} MiB, fds {s['fds']}, threads {s['threads']}, bwrap {s['sandboxes']}, "
                    f"tmp {s['tmp']}, work {s['work']}, data {mib(s['data'])} MiB, requests {s['requests']}, "
                    f"5xx {s['5xx']}")
            except OSError as e:
                log(f"soak: sample failed: {e}")
            n += 1
            stop.wait(max(0.0, t0 + n * args.sample_seconds - time.monotonic()))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    st = threading.Thread(target=sampler, daemon=True)
    st.start()
    rng = random.Random(7)
    end = t0 + args.minutes * 60
    interrupted = False
    try:
        next_t = time.monotonic()
        while next_t < end:
            delay = next_t - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            kind = rng.choices(kinds, weights)[0]
            try:
                q.put_nowait(kind)
            except queue.Full:
                soak.stats.skipped += 1
            next_t += 1.0 / args.rate
            try:
                os.kill(args.pid, 0)
            except OSError:
                soak.stats.bad("the service exited during the run")
                break
    except KeyboardInterrupt:
        interrupted = True
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one interruption: what follows is the report
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        log("soak: interrupted: stopping the traffic, printing what was measured")
    stop.set()
    # after an interruption, requests still waiting (a boot's wait, a sample's jcmd on a busy JVM) are not waited for
    patience = 5 if interrupted else 120
    deadline = time.monotonic() + patience
    for _ in threads:
        try:
            q.put(None, timeout=max(0.1, deadline - time.monotonic()))
        except queue.Full:
            break
    for t in threads + [st]:
        t.join(timeout=max(0.1, deadline - time.monotonic()) if interrupted else patience)
    traffic_s = time.monotonic() - t0

    # -- drain: wait until no build is queued or running (at most 60 s), then the last sample
    alive = True
    try:
        os.kill(args.pid, 0)
    except OSError:
        alive = False
    drained = None
    if alive and not interrupted:
        d0 = time.monotonic()
        left = drain(args.port, token, 120)
        time.sleep(3)
        drained = (time.monotonic() - d0, left)
        s = sample(soak, t0, "drained")
        samples.append(s)

    # -- the table
    say(f"== samples (heap: used when sampled, then after a full GC forced with jcmd; tmp: files in the service's "
        f"java.io.tmpdir; work: files under <data>/work; bwrap: bubblewrap processes under the service)")
    rows = []
    for s in samples:
        rows.append([(f"{s['t']} " if s is not idle else "") + (f"({s['label']})" if s["label"] else ""), mib(s["heap"]), mib(s["heap_gc"]),
                     mib(s["rss"]), str(s["fds"]), str(s["threads"]), str(s["sandboxes"]), str(s["procs"]),
                     str(s["tmp"]), str(s["work"]), mib(s["data"]), str(s["data_files"]), str(s["requests"]),
                     str(s["5xx"]), str(s["503r"])])
    for ln in table(["t (s)", "heap MiB", "after GC MiB", "RSS MiB", "fds", "threads", "bwrap", "procs", "tmp files",
                     "work files", "data MiB", "data files", "requests", "5xx", "503 retry"], rows,
                    right=tuple(range(1, 15))):
        say(ln)
    if drained:
        say(f"drained: the last sample {drained[0]:.0f} s after the traffic's end, once no build was queued or running"
            + (f" ({drained[1]} still were after 120 s)" if drained[1] else ""))
    say("")

    # -- the requests
    st = soak.stats
    say(f"== requests: {st.total} in {traffic_s:.0f} s ({st.total / max(traffic_s, 1):.1f}/s; a boot's 307, 302 and "
        f"image download count apart); {st.skipped} ticks skipped with every client thread busy")
    classes = ["2xx", "3xx", "4xx", "429", "503 retry", "5xx", "no answer"]
    rows = []
    for kind in KINDS:
        c = st.counts.get(kind, collections.Counter())
        lat = st.lat.get(kind, [])
        if not sum(c.values()):
            continue
        rows.append([kind, str(sum(c.values()))] + [str(c.get(k, 0)) for k in classes]
                    + [("-" if pct(lat, p) is None else f"{pct(lat, p):.0f}") for p in (50, 90, 99)]
                    + [f"{max(lat):.0f}" if lat else "-"])
    for ln in table(["kind", "requests"] + classes + ["p50 ms", "p90 ms", "p99 ms", "max ms"], rows,
                    right=tuple(range(1, 13))):
        say(ln)
    say("")
    for kind in KINDS:
        if st.codes.get(kind):
            say(f"  {kind} 4xx/5xx answers: " + ", ".join(f"{k} x{v}" for k, v in st.codes[kind].most_common()))
    say(f"  garbage requests by kind ({len(soak.garbage_kinds)} of {len(garbage_items)} kinds sent): "
        + ", ".join(f"{k} x{v}" for k, v in sorted(soak.garbage_kinds.items())))
    with soak.lock:
        say("  boots (a boot is its 307, 302 and retries): " + ", ".join(f"{k} x{v}" for k, v in soak.boots.most_common()))
        new = sum(len(v) for v in soak.variants.values())
        say(f"  distinct bundles uploaded: {new}; builds started by POST /v1/builds: {len(soak.builds)} (last 200 "
            f"kept); images downloaded and checked: {len(soak.images)}")
    say("")

    # -- the verdict
    checks = []  # (name, ok, detail)
    n5 = st.n5xx()
    checks.append(("no 5xx", n5 == 0, f"{n5} answers 5xx (besides {st.nretry()} documented 503s asking to retry "
                                      f"after Retry-After: {', '.join(RETRY_CODES)}; listed above, not failures)"))
    ne = st.nerr()
    checks.append(("every request answered", ne == 0, f"{ne} without an answer"))
    wrong = [w for w in st.wrong if not w.startswith("NOTE")]
    nwrong = st.counts["_wrong"]["n"] - (len(st.wrong) - len(wrong))
    checks.append(("answers as specified (garbage: 4xx problem documents; bytes, digests)", nwrong == 0,
                   f"{nwrong} wrong"))
    if alive:
        checks.append(("the service ran to the end", True, ""))
    else:
        checks.append(("the service ran to the end", False, "it exited"))
    base = last = None
    running = samples[1:-1] if samples and samples[-1].get("label") == "drained" else samples[1:]
    if len(running) >= 2 and samples[-1].get("label") == "drained":
        base = running[len(running) // 3]
        last = samples[-1]
        for key, label in (("heap_gc", "heap after GC"), ("rss", "RSS"), ("fds", "open fds"), ("threads", "threads"),
                           ("sandboxes", "bwrap sandboxes (at rest)"), ("tmp", "tmp files (at rest)"),
                           ("work", "files under work/ (at rest)")):
            b0 = idle if key in ("sandboxes", "tmp", "work") else base
            b, l_ = b0.get(key), last.get(key)
            if b is None or l_ is None:
                checks.append((f"{label} flat", False, "not sampled"))
                continue
            rel, absolute = TOL[key]
            limit = b + max(b * rel, absolute)
            fmt = mib if key in ("heap_gc", "rss") else str
            checks.append((f"{label} flat", l_ <= limit,
                           f"{fmt(b)} " + (f"at t={b0['t']}s" if b0 is not idle else "before the traffic")
                           + f" -> {fmt(l_)} at t={last['t']}s (limit {fmt(limit)}"
                           + (" MiB" if key in ("heap_gc", "rss") else "") + ")"))
        dt = max(1, last["t"] - base["t"])
        if base.get("heap_gc") is not None and last.get("heap_gc") is not None:
            say(f"heap after GC: {(last['heap_gc'] - base['heap_gc']) / dt * 60 / (1 << 20):+.2f} MiB/min from "
                f"t={base['t']}s to t={last['t']}s (caches bounded by size fill as records, bundles and requests "
                f"accumulate)")
        say(f"data directory: {mib(base['data'])} -> {mib(last['data'])} MiB ({(last['data'] - base['data']) / dt * 60 / (1 << 20):.2f} "
            f"MiB/min; grows with the bundles and images stored, by design, not checked)")
    else:
        checks.append(("enough samples to judge (2 during the traffic, 1 after)", False,
                       f"{len(samples)} samples: run longer or sample more often"))
    say("== verdict (the sample after the drain against the one ending the first third of the traffic; sandboxes, "
        "temporary and work files against the idle sample before the traffic)")
    for name, ok, detail in checks:
        say(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""))
    failed = [c for c in checks if not c[1]]
    if st.fivexx:
        say("")
        say("5xx answers (the first 50):")
        for x in st.fivexx:
            say("  " + x)
    if st.errors:
        say("")
        say("requests without an answer (the first 50):")
        for x in st.errors:
            say("  " + x)
    if st.wrong:
        say("")
        say("answers other than specified (the first 100; NOTE: a 4xx problem other than the one expected, "
            "not a failure):")
        for x in st.wrong:
            say("  " + x)
    say("")
    say("RESULT: " + ("flat, no 5xx, nothing leaked" if not failed else
                      "FAILED: " + "; ".join(c[0] for c in failed)))

    if interrupted:
        log(f"soak: interrupted: {args.out}/soak.txt and soak.json left as they were")
        return 130
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "soak.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    with open(os.path.join(args.out, "soak.json"), "w") as f:
        json.dump({"minutes": args.minutes, "rate": args.rate, "sample_seconds": args.sample_seconds,
                   "samples": samples, "counts": {k: dict(v) for k, v in st.counts.items()},
                   "codes": {k: dict(v) for k, v in st.codes.items()},
                   "latency_ms": {k: {"p50": pct(v, 50), "p90": pct(v, 90), "p99": pct(v, 99), "max": max(v)}
                                  for k, v in st.lat.items() if v},
                   "checks": [{"check": c[0], "ok": c[1], "detail": c[2]} for c in checks],
                   "fivexx": st.fivexx, "errors": st.errors, "wrong": st.wrong}, f, indent=1)
        f.write("\n")
    log(f"soak: wrote {args.out}/soak.txt and soak.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
