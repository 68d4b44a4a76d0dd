#!/usr/bin/env python3
"""The auto-ladder benchmark's driver (bench/auto-ladder.sh starts the service and runs this; standard library only).

A simulated fleet (the x86_64 /proc/cpuinfo files of the fingerprint corpus, each device model weighted
deterministically) boots two apps, examples/auto/rung-bound (its speed depends on the rung) and examples/auto/flat
(it does not), under policy `level` and under policy `auto`. Every (app, policy) is an app of its own, uploaded from
the same sources with the manifest's name rewritten, so no build is shared between them. The auto copies are
measured first (POST /v1/apps/{app}/payoff), as are the two apps under their own names, whose reports are printed.
For each (app, policy) the bench reports the boots, the distinct images served (distinct Location), the targets
served, the builds run, and the share of boots an edge could answer from objects it already holds.

    python3 bench/auto-ladder.py --port P --token-file F --work DIR [--scale N] [--out DIR]
    python3 bench/auto-ladder.py --dry-run [--scale N] [--work DIR]   (no service: the fleet, its order, the bundles)
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
import re
import sys
import tarfile
import time
import urllib.error
import urllib.request

from benchlib import log, host_cpu, table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FINGERPRINTS = os.path.join(ROOT, "src", "test", "resources", "fingerprints")
FLEET_DIR = "linux-x86/"
APPS = [("rung-bound", os.path.join(ROOT, "examples", "auto", "rung-bound"), "its speed depends on the rung"),
        ("flat", os.path.join(ROOT, "examples", "auto", "flat"), "its speed does not depend on the rung")]
POLICIES = ["level", "auto"]
CHANNEL = "stable"
APP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
BOOT_WAIT = 120
PAYOFF_WAIT = 900
PAYOFF_TIMEOUT = 1800
SETTLE_TIMEOUT = 300


# ---------------------------------------------------------------------------------------------------------- fleet


def weight(path, scale):
    """A device model's number of boots: scale x (1 + sha256(its corpus path) mod 20); the same on every run."""
    return scale * (1 + int(hashlib.sha256(path.encode()).hexdigest(), 16) % 20)


def load_fleet(scale, root=FINGERPRINTS):
    """The x86_64 /proc/cpuinfo files under linux-x86/ that index.json describes, with their weights."""
    with open(os.path.join(root, "index.json")) as f:
        index = json.load(f)
    devices = []
    for e in index:
        path = e.get("path", "")
        if not path.startswith(FLEET_DIR) or e.get("arch") != "x86_64":
            continue
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            raise SystemExit(f"auto-ladder: index.json names {path}, which is not in {root}")
        with open(full, "rb") as f:
            text = f.read()
        cpu = e.get("cpu") or {}
        devices.append({
            "path": path,
            "name": path[len(FLEET_DIR):],
            "model_name": cpu.get("model name"),
            "vendor": cpu.get("vendor_id"),
            "expected_microarch": e.get("expected_microarch"),
            "weight": weight(path, scale),
            "cpuinfo": text,
        })
    devices.sort(key=lambda d: d["path"])
    if not devices:
        raise SystemExit(f"auto-ladder: no x86_64 devices under {os.path.join(root, FLEET_DIR)} in index.json")
    return devices


def boot_order(devices):
    """Every weighted boot once, shuffled deterministically: sorted by sha256 of '<path>#<n>'."""
    boots = [(d["path"], n) for d in devices for n in range(d["weight"])]
    boots.sort(key=lambda b: hashlib.sha256(f"auto-ladder:{b[0]}#{b[1]}".encode()).hexdigest())
    return [p for p, _ in boots]


# ---------------------------------------------------------------------------------------------------------- bundles


def with_name(yaml_text, name):
    """tailor.yaml with its top-level `name:` set to name (exactly one such line must be there)."""
    pattern = re.compile(r"^name:[ \t]*[^\n]*$", re.M)
    if len(pattern.findall(yaml_text)) != 1:
        raise ValueError("tailor.yaml must have exactly one top-level 'name:' line")
    return pattern.sub(f"name: {name}", yaml_text)


def pack(src_dir, name):
    """The bundle directory as a .tar.gz (bytes), its tailor.yaml naming the app `name`; deterministic."""
    if not APP_NAME.match(name):
        raise ValueError(f"app name {name!r} is not [a-z0-9][a-z0-9-]{{0,62}}")
    files = []
    for dirpath, dirnames, filenames in os.walk(src_dir):
        dirnames.sort()
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            files.append(os.path.relpath(full, src_dir))
    if "tailor.yaml" not in files:
        raise ValueError(f"no tailor.yaml in {src_dir}")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(files):
            with open(os.path.join(src_dir, rel), "rb") as f:
                data = f.read()
            if rel == "tailor.yaml":
                data = with_name(data.decode("utf-8"), name).encode("utf-8")
            info = tarfile.TarInfo(rel)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------- HTTP


class Api:
    def __init__(self, port, token):
        self.host = "127.0.0.1"
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.conn = None

    def call(self, method, path, body=None, ctype=None, auth=False, timeout=180):
        headers = {}
        if ctype:
            headers["Content-Type"] = ctype
        if auth:
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method, path, body=None, ctype=None, auth=False, timeout=180):
        status, data = self.call(method, path, body, ctype, auth, timeout)
        try:
            doc = json.loads(data) if data else None
        except ValueError:
            doc = {"detail": data[:300].decode("utf-8", "replace")}
        return status, doc

    def boot(self, app, policy, cpuinfo):
        """POST /v1/boot/{app}/stable without following the redirect: (status, headers, problem doc, seconds)."""
        path = f"/v1/boot/{app}/{CHANNEL}?policy={policy}&wait={BOOT_WAIT}"
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=BOOT_WAIT + 60)
                t0 = time.perf_counter()
                self.conn.request("POST", path, body=cpuinfo, headers={"Content-Type": "text/plain"})
                r = self.conn.getresponse()
                data = r.read()
                secs = time.perf_counter() - t0
                headers = {k.lower(): v for k, v in r.getheaders()}
                if headers.get("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                doc = None
                if r.status >= 400:
                    try:
                        doc = json.loads(data) if data else None
                    except ValueError:
                        doc = {"detail": data[:300].decode("utf-8", "replace")}
                return r.status, headers, doc, secs
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise


def problem(status, doc):
    if isinstance(doc, dict):
        return f"HTTP {status} {doc.get('code') or ''} {doc.get('detail') or doc.get('title') or ''}".strip()
    return f"HTTP {status}"


# ---------------------------------------------------------------------------------------------------------- steps


def upload_and_release(api, app, src_dir, work):
    body = pack(src_dir, app)
    with open(os.path.join(work, "bundles", app + ".tar.gz"), "wb") as f:
        f.write(body)
    status, doc = api.json("POST", f"/v1/apps/{app}/bundles", body, "application/gzip", auth=True)
    if status not in (200, 201) or not isinstance(doc, dict) or "digest" not in doc:
        raise RuntimeError(f"upload of {app} failed: {problem(status, doc)}")
    digest = doc["digest"]
    status, ch = api.json("PUT", f"/v1/apps/{app}/channels/{CHANNEL}", json.dumps({"bundle": digest}).encode(),
                          "application/json", auth=True)
    if status != 200:
        raise RuntimeError(f"release of {app} to {CHANNEL} failed: {problem(status, ch)}")
    return digest


def is_report(doc):
    return isinstance(doc, dict) and isinstance(doc.get("results"), list)


def payoff(api, app, deviations):
    """POST /v1/apps/{app}/payoff?wait=900, then GET until 200: (report, None, seconds) or (None, what went wrong,
    seconds). An answer that is not as specified but still leads to the report is noted in deviations."""
    t0 = time.time()
    status, doc = api.json("POST", f"/v1/apps/{app}/payoff?wait={PAYOFF_WAIT}",
                           json.dumps({"channel": CHANNEL}).encode(), "application/json", auth=True,
                           timeout=PAYOFF_WAIT + 120)
    if status == 200 and is_report(doc):
        return doc, None, round(time.time() - t0, 1)
    if status == 200:
        deviations.append(f"POST /v1/apps/{app}/payoff?wait={PAYOFF_WAIT} answered 200 after "
                          f"{time.time() - t0:.1f} s with " + ("an empty body" if doc is None else
                                                                 f"no report: {json.dumps(doc)[:200]}")
                          + f"; the report was read with GET /v1/apps/{app}/payoff?channel={CHANNEL}")
    elif status != 202:
        return None, f"POST /v1/apps/{app}/payoff answered {problem(status, doc)}", round(time.time() - t0, 1)
    else:
        log(f"auto-ladder: payoff of {app}: 202 {json.dumps(doc)[:200]}; polling")
    seen = collections.Counter()
    first = True
    while time.time() - t0 < PAYOFF_TIMEOUT:
        if not first:
            time.sleep(5)
        first = False
        status, doc = api.json("GET", f"/v1/apps/{app}/payoff?channel={CHANNEL}", auth=True)
        seen[status] += 1
        if status == 200:
            if not is_report(doc):
                return None, f"GET /v1/apps/{app}/payoff answered 200 without a report: {str(doc)[:200]}", \
                    round(time.time() - t0, 1)
            return doc, None, round(time.time() - t0, 1)
        if status not in (202, 404):
            return None, f"GET /v1/apps/{app}/payoff answered {problem(status, doc)}", round(time.time() - t0, 1)
    return None, (f"no payoff report for {app} after {PAYOFF_TIMEOUT} s (GET answers: "
                  f"{', '.join(f'{k} x{v}' for k, v in sorted(seen.items()))})"), round(time.time() - t0, 1)


def replay(api, app, policy, order, by_path):
    """Every boot of the fleet, in order, for (app, policy)."""
    out = []
    for i, path in enumerate(order):
        tries = 0
        while True:
            status, h, doc, secs = api.boot(app, policy, by_path[path]["cpuinfo"])
            if status == 503 and tries < 5:  # boot.building / boot.queue_full: a device would retry
                tries += 1
                time.sleep(min(float(h.get("retry-after", "2") or 2), 10))
                continue
            break
        rec = {"n": i, "device": path, "status": status, "ms": round(secs * 1000, 2), "retries": tries}
        if status == 302:
            rec.update(location=h.get("location"), target=h.get("tailor-target"), build=h.get("tailor-build"),
                       bundle=h.get("tailor-bundle"), tuned=h.get("tailor-tuned"))
        else:
            rec["problem"] = problem(status, doc)
            rec["code"] = doc.get("code") if isinstance(doc, dict) else None
        out.append(rec)
        if (i + 1) % 100 == 0:
            log(f"auto-ladder: {app} ({policy}): {i + 1}/{len(order)} boots")
    return out


def list_builds(api, app):
    status, doc = api.json("GET", f"/v1/builds?app={app}&limit=500", auth=True)
    if status != 200:
        return None, f"GET /v1/builds?app={app} answered {problem(status, doc)}"
    if isinstance(doc, dict):  # tolerate a wrapped listing
        doc = doc.get("builds") or doc.get("items") or []
    return doc, None


def settled_builds(api, app):
    """The app's builds once none is queued or running (or after SETTLE_TIMEOUT s: then as they are)."""
    t0 = time.time()
    while True:
        builds, err = list_builds(api, app)
        if err:
            return None, err, False
        busy = [b for b in builds if b.get("status") in ("queued", "running")]
        if not busy or time.time() - t0 > SETTLE_TIMEOUT:
            return builds, None, not busy
        time.sleep(2)


def quiesce(api, deviations):
    """Waits until no build of any app is queued or running (the release's prebuilds), so that a payoff run does not
    share the two cores with compilers; gives up after SETTLE_TIMEOUT s."""
    t0 = time.time()
    while time.time() - t0 < SETTLE_TIMEOUT:
        busy = 0
        for st in ("queued", "running"):
            status, doc = api.json("GET", f"/v1/builds?status={st}&limit=500", auth=True)
            if status != 200:
                deviations.append(f"GET /v1/builds?status={st} answered {problem(status, doc)}")
                return round(time.time() - t0, 1)
            busy += len(doc) if isinstance(doc, list) else 0
        if not busy:
            return round(time.time() - t0, 1)
        time.sleep(1)
    return round(time.time() - t0, 1)


def auto_reasons(api, app, cpuinfo):
    """Why the auto policy answers what it does for a device: the resolve endpoint's reasons for the app."""
    status, doc = api.json("POST", f"/v1/fingerprints/resolve?policy=auto&app={app}&channel={CHANNEL}", cpuinfo,
                           "text/plain")
    if status != 200 or not isinstance(doc, dict):
        return None, [problem(status, doc)]
    return (doc.get("target") or {}).get("id"), [r for r in doc.get("reasons") or [] if r.startswith("auto")]


def images_distinct_metric(api):
    """tailor_images_distinct per app from /actuator/prometheus ({} when the metric is not there)."""
    status, data = api.call("GET", "/actuator/prometheus")
    if status != 200:
        return None
    out = {}
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.startswith("tailor_images_distinct"):
            continue
        m = re.match(r'^tailor_images_distinct(?:\{(.*)\})?\s+(\S+)', line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1) or ""))
        try:
            v = float(m.group(2))
        except ValueError:
            continue
        app = labels.get("app", "")
        out[app] = out.get(app, 0) + v
    return out


# ---------------------------------------------------------------------------------------------------------- report


def fmt_ns(v):
    if not isinstance(v, (int, float)):
        return "-"
    if v >= 1000:
        return f"{v:,.0f}"
    return f"{v:.1f}"


def fmt_x(v):
    if not isinstance(v, (int, float)):
        return "-"
    return f"{v:.2f}x"


def payoff_lines(app, report, err, secs):
    out = [f"-- payoff of {app}" + (f" ({secs} s)" if secs is not None else "")]
    if err:
        return out + [f"  FAILED: {err}"]
    if not isinstance(report, dict):
        return out + [f"  unexpected answer: {str(report)[:300]}"]
    mo = report.get("measuredOn") or {}
    first = ["arch", "vendor", "model", "native", "level"]
    keys = [k for k in first if k in mo] + [k for k in mo if k not in first]

    def show(v):
        if isinstance(v, list):
            return f"[{len(v)} entries]" if len(json.dumps(v)) > 80 else json.dumps(v)
        v = json.dumps(v) if isinstance(v, dict) else str(v)
        if len(v) > 80:
            return f"{v[:40]}... ({len(v.split(':', 1)[-1].split(','))} items)"
        return v
    out.append("  measuredOn: " + (", ".join(f"{k}={show(mo[k])}" for k in keys) or "-")
               + ("" if "vendor" in mo else "  (no vendor in measuredOn)"))
    extra = {k: v for k, v in report.items() if k not in ("app", "bundle", "measuredOn", "results", "measurements",
                                                          "skipped", "runs")}
    out.append(f"  bundle: {report.get('bundle')}; measurements: {len(report.get('measurements') or [])}"
               + "".join(f"; {k}: {show(v)}" for k, v in extra.items()))
    for run in report.get("runs") or []:
        if isinstance(run, dict):
            err = run.get("error")
            if isinstance(err, dict):
                err = f"{err.get('code')}: {err.get('detail')}"
            out.append(f"  run {run.get('arch')}: {run.get('status')} ({str(run.get('run'))[:12]}...)"
                       + (f" {err}" if err else ""))
    rows = []
    for r in report.get("results") or []:
        lo, hi = r.get("minNs"), r.get("maxNs")
        if r.get("error") is not None:
            err = r["error"]
            if isinstance(err, dict):
                err = f"{err.get('code')}: {err.get('detail')}"
            rows.append([str(r.get("target")), str(r.get("parent") or "-"), "-", "-", "-", "-", "-",
                         f"error: {' '.join(str(err).split())[:100]}"])
            continue
        rows.append([str(r.get("target")), str(r.get("parent") or "-"), str(r.get("runs", "-")),
                     fmt_ns(r.get("medianNs")), f"{fmt_ns(lo)}-{fmt_ns(hi)}", fmt_x(r.get("speedupVsBaseline")),
                     fmt_x(r.get("speedupVsParent")),
                     " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                              for k, v in (r.get("metrics") or {}).items())])
    if rows:
        out += ["  " + ln for ln in table(["target", "parent", "runs", "medianNs", "min-max", "vs baseline",
                                           "vs parent", "metrics"], rows, right=(2, 3, 4, 5, 6))]
    else:
        out.append("  no results")
    for s in report.get("skipped") or []:
        if isinstance(s, dict):
            out.append(f"  skipped: {s.get('target', '?')}: {s.get('reason') or s.get('detail') or json.dumps(s)}")
        else:
            out.append(f"  skipped: {s}")
    return out


# as docs/API.md describes the report (GET /v1/apps/{app}/payoff)
REPORT_KEYS = ["app", "bundle", "measuredOn", "results", "minGain", "measurements", "runs"]
MEASURED_ON_KEYS = ["arch", "vendor", "model", "native", "level", "features"]
RESULT_KEYS = ["target", "runs", "medianNs", "minNs", "maxNs", "speedupVsBaseline", "speedupVsParent", "metrics"]


def missing_members(report):
    """The members the spec names that the report lacks (speedupVsParent only where the result has a parent)."""
    miss = [k for k in REPORT_KEYS if k not in report]
    mo = report.get("measuredOn")
    if isinstance(mo, dict):
        miss += [f"measuredOn.{k}" for k in MEASURED_ON_KEYS if k not in mo]
    for r in report.get("results") or []:
        for k in RESULT_KEYS:
            if r.get("error") is None and k not in r and not (k == "speedupVsParent" and not r.get("parent")):
                miss.append(f"results[].{k}")
    return sorted(set(miss))


def summarise(app, policy, boots, builds, builds_err, settled, metric):
    served = [b for b in boots if b["status"] == 302 and b.get("location")]
    refused = [b for b in boots if 400 <= b["status"] < 500]
    errors = [b for b in boots if not (b["status"] == 302 and b.get("location")) and not 400 <= b["status"] < 500]
    pending = [b for b in served if (b.get("tuned") or "").lower() == "pending"]
    other_tuned = collections.Counter(b["tuned"] for b in served
                                      if b.get("tuned") and b["tuned"].lower() != "pending")
    images = collections.Counter(b["location"] for b in served)
    targets = collections.Counter(b.get("target") or "?" for b in served)
    per_device = collections.defaultdict(collections.Counter)
    for b in served:
        per_device[b["device"]][b.get("target") or "?"] += 1
    ms = sorted(b["ms"] for b in served)
    s = {
        "app": app,
        "policy": policy,
        "boots": len(boots),
        "served": len(served),
        "refused": len(refused),
        "refused_codes": dict(collections.Counter(b.get("code") or str(b["status"]) for b in refused)),
        "errors": len(errors),
        "error_problems": dict(collections.Counter(b.get("problem") or str(b["status"]) for b in errors)),
        "pending": len(pending),
        "tuned_other": dict(other_tuned),
        "distinct_images": len(images),
        "images": dict(images),
        "metric_images_distinct": None if metric is None else metric.get(app),
        "targets": dict(sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))),
        "device_targets": {d: dict(c) for d, c in sorted(per_device.items())},
        "edge_share_pct": (len(served) - len(images)) / len(served) * 100 if served else None,
        "boot_ms": {"median": ms[len(ms) // 2] if ms else None, "max": ms[-1] if ms else None,
                    "first": served[0]["ms"] if served else None},
        "retries_503": sum(b["retries"] for b in boots),
    }
    if builds is not None:
        image = [b for b in builds if (b.get("flavor") or "image") == "image"]
        s["builds"] = {
            "listed": len(builds),
            "settled": settled,
            "by_flavor": dict(collections.Counter(b.get("flavor") or "(none)" for b in builds)),
            "image": len(image),
            "image_x86_64": sum(1 for b in image if b.get("arch") == "x86_64"),
            "image_by_status": dict(collections.Counter(b.get("status") for b in image)),
            "image_targets": sorted(f"{b.get('target')}" for b in image),
            "image_x86_64_targets": sorted(f"{b.get('target')}" for b in image if b.get("arch") == "x86_64"),
        }
    else:
        s["builds"] = {"error": builds_err}
    return s


# ---------------------------------------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int)
    ap.add_argument("--token-file")
    ap.add_argument("--work")
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--jar", default="")
    ap.add_argument("--dry-run", action="store_true", help="no service: print the fleet, its order and the bundles")
    args = ap.parse_args()
    if args.scale < 1:
        ap.error("--scale must be 1 or more")

    devices = load_fleet(args.scale)
    by_path = {d["path"]: d for d in devices}
    order = boot_order(devices)
    total = len(order)
    cpu = host_cpu()

    if args.dry_run:
        print(f"fleet: {len(devices)} x86_64 device models, {total} boots "
              f"(weight = {args.scale} x (1 + sha256(path) mod 20))")
        for d in devices:
            print(f"  {d['name']:<40} weight {d['weight']:>3}  {d['model_name']}")
        print("order (first 20): " + " ".join(by_path[p]["name"] for p in order[:20]))
        print("order digest: " + hashlib.sha256("\n".join(order).encode()).hexdigest())
        for app, src, _ in APPS:
            for name in [app] + [f"{app}-{p}" for p in POLICIES]:
                body = pack(src, name)
                with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
                    members = tar.getnames()
                    y = tar.extractfile("tailor.yaml").read().decode()
                print(f"bundle {name}: {len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()[:16]}, "
                      f"files {members}, manifest name: {re.search(r'^name: (.*)$', y, re.M).group(1)}")
                if args.work:
                    with open(os.path.join(args.work, name + ".tar.gz"), "wb") as f:
                        f.write(body)
        return 0

    if not (args.port and args.token_file and args.work):
        ap.error("--port, --token-file and --work are needed (or --dry-run)")
    with open(args.token_file) as f:
        api = Api(args.port, f.read().strip())
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(os.path.join(args.work, "bundles"), exist_ok=True)
    report, problems, deviations = [], [], []

    def say(line=""):
        report.append(line)
        print(line, flush=True)

    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    host = {"model_name": cpu.get("model name", "?"), "vendor": cpu.get("vendor_id", "?"),
            "family": cpu.get("cpu family", "?"), "model": cpu.get("model", "?"), "cpus": os.cpu_count(),
            "machine": platform.machine(), "kernel": platform.release(), "date": started, "jar": args.jar}
    with open("/proc/cpuinfo", "rb") as f:
        status, res = api.json("POST", "/v1/fingerprints/resolve?policy=level", f.read(), "text/plain")
    host["level_answer"] = (res.get("target") or {}).get("id") if status == 200 and isinstance(res, dict) else \
        f"n/a ({problem(status, res)})"

    say("== Tailor auto-ladder benchmark: policy level vs policy auto on a simulated fleet")
    say(f"host:    {host['model_name']} ({host['vendor']}, family {host['family']} model {host['model']}), "
        f"{host['cpus']} CPUs, {host['machine']}, Linux {host['kernel']}; Tailor's level answer for it: "
        f"{host['level_answer']}; {started}")
    say(f"fleet:   {len(devices)} x86_64 device models from {os.path.relpath(FINGERPRINTS, ROOT)}/{FLEET_DIR}, "
        f"{total} boots in all (weight = {args.scale} x (1 + sha256(path) mod 20)), in one deterministic shuffled "
        f"order replayed for every (app, policy)")
    say("         only x86_64 devices: the payoff runs measure natively on this x86_64 host, so the auto policy has "
        "evidence for x86_64 only")
    for d in devices:
        say(f"         {d['name']:<40} x{d['weight']:<3} {d['model_name']}")
    say(f"boots:   POST /v1/boot/<app>/{CHANNEL}?policy=<policy>&wait={BOOT_WAIT} with the device's /proc/cpuinfo, "
        f"redirect not followed")
    say("")

    # the two apps under their own names, measured
    payoffs = {}
    for app, src, what in APPS:
        try:
            digest = upload_and_release(api, app, src, args.work)
        except Exception as e:  # noqa: BLE001 - reported
            problems.append(str(e))
            say(f"-- {app}: {e}")
            continue
        waited = quiesce(api, deviations)
        log(f"auto-ladder: payoff of {app} ({digest[:19]}...; waited {waited} s for builds to finish) ...")
        rep, err, secs = payoff(api, app, deviations)
        if err:
            problems.append(err)
        payoffs[app] = {"report": rep, "error": err, "seconds": secs, "bundle": digest, "what": what}
        for ln in payoff_lines(f"{app} ({what})", rep, err, secs):
            say(ln)
        say("")

    # per policy, a fresh copy of each app; the auto copies measured before any boot
    runs = []
    for policy in POLICIES:
        for app, src, _ in APPS:
            name = f"{app}-{policy}"
            entry = {"app": app, "name": name, "policy": policy}
            runs.append(entry)
            try:
                entry["bundle"] = upload_and_release(api, name, src, args.work)
            except Exception as e:  # noqa: BLE001
                problems.append(str(e))
                entry["error"] = str(e)
                continue
            if policy == "auto":
                waited = quiesce(api, deviations)
                log(f"auto-ladder: payoff of {name} (waited {waited} s for builds to finish) ...")
                rep, err, secs = payoff(api, name, deviations)
                if err:
                    problems.append(err)
                payoffs[name] = {"report": rep, "error": err, "seconds": secs, "bundle": entry["bundle"]}
                for ln in payoff_lines(name, rep, err, secs):
                    say(ln)
                say("")

    boots_log = {}
    for entry in runs:
        if "error" in entry:
            continue
        name, policy = entry["name"], entry["policy"]
        log(f"auto-ladder: replaying {total} boots of {name} under policy {policy} ...")
        t0 = time.time()
        try:
            boots = replay(api, name, policy, order, by_path)
        except Exception as e:  # noqa: BLE001
            problems.append(f"boots of {name}: {type(e).__name__}: {e}")
            entry["error"] = f"boots: {e}"
            continue
        entry["seconds"] = round(time.time() - t0, 1)
        boots_log[name] = boots
        builds, berr, settled = settled_builds(api, name)
        if berr:
            problems.append(berr)
        elif not settled:
            problems.append(f"{name}: builds still queued or running after {SETTLE_TIMEOUT} s")
        entry["builds_raw"] = builds
        entry["builds_err"] = berr
        entry["settled"] = settled
    metric = images_distinct_metric(api)
    if metric is None:
        problems.append("GET /actuator/prometheus did not answer 200")

    summaries = []
    for entry in runs:
        if "error" in entry:
            say(f"== {entry['name']} (policy {entry['policy']}): FAILED: {entry['error']}")
            say("")
            continue
        s = summarise(entry["name"], entry["policy"], boots_log[entry["name"]], entry["builds_raw"],
                      entry["builds_err"], entry["settled"], metric)
        s["base_app"] = entry["app"]
        s["bundle"] = entry["bundle"]
        s["seconds"] = entry["seconds"]
        summaries.append(s)
        if s["errors"]:
            problems.append(f"{entry['name']}: {s['errors']} boots answered neither 302 nor 4xx: "
                            f"{s['error_problems']}")
        m = s["metric_images_distinct"]
        say(f"== {s['base_app']} under policy {s['policy']} (app {s['app']})")
        bm = s["boot_ms"]
        say(f"  boots:            {s['boots']} ({s['served']} redirected, {s['refused']} refused, {s['errors']} "
            f"errors; {s['seconds']} s" + (f"; redirected in median {bm['median']:.1f} ms, first {bm['first']:.0f} "
                                           f"ms, max {bm['max']:.0f} ms" if s["served"] else "") + ")")
        if s["refused"]:
            say(f"  refused:          {s['refused_codes']}")
        if s["errors"]:
            say(f"  errors:           {s['error_problems']}")
        say(f"  distinct images:  {s['distinct_images']} (tailor_images_distinct: "
            f"{'n/a' if m is None else f'{m:g}'})")
        say(f"  targets:          " + (", ".join(f"{t} x{c}" for t, c in s["targets"].items()) or "-"))
        b = s["builds"]
        if "error" in b:
            say(f"  builds run:       n/a ({b['error']})")
        else:
            others = [t for t in b["image_targets"] if t not in b["image_x86_64_targets"]]
            say(f"  builds run:       {b['image']} image builds: {b['image_x86_64']} x86_64 "
                f"({', '.join(b['image_x86_64_targets']) or '-'}), {len(others)} of other architectures "
                f"({', '.join(others) or '-'}: the release prebuilds every listed architecture's baseline)")
            say(f"                    by status {b['image_by_status']}; every build listed, by flavor {b['by_flavor']}"
                + ("" if b["settled"] else "; NOT SETTLED: some still queued or running"))
        share = s["edge_share_pct"]
        say(f"  edge share:       " + ("- (no boot redirected)" if share is None else
                                        f"{share:.1f}% (({s['served']} - {s['distinct_images']}) / {s['served']})"))
        say(f"  pending answers:  {s['pending']}" + (f"; other Tailor-Tuned values {s['tuned_other']}"
                                                     if s["tuned_other"] else ""))
        say(f"  refused:          {s['refused']}")
        say("")

    # per device: the target each (app, policy) served it
    if summaries:
        say("== targets served per device (boots)")
        head = ["device", "boots"] + [f"{s['base_app']}/{s['policy']}" for s in summaries]
        rows = []
        for d in devices:
            cells = [d["name"], str(d["weight"])]
            for s in summaries:
                c = s["device_targets"].get(d["path"], {})
                refused = sum(1 for b in boots_log[s["app"]] if b["device"] == d["path"] and b["status"] != 302)
                txt = ", ".join(t if n == d["weight"] else f"{t} x{n}" for t, n in c.items())
                if refused:
                    codes = {b.get("code") or str(b["status"]) for b in boots_log[s["app"]]
                             if b["device"] == d["path"] and b["status"] != 302}
                    txt = (txt + "; " if txt else "") + f"refused x{refused} ({', '.join(sorted(codes))})"
                cells.append(txt or "-")
            rows.append(cells)
        for ln in table(head, rows, right=(1,)):
            say(ln)
        say("")

        autos = [s for s in summaries if s["policy"] == "auto"]
        if autos:
            say("== why auto answered so (POST /v1/fingerprints/resolve?policy=auto&app=<app>&channel=stable, after "
                "the boots: its last 'auto:' reason)")
            for s in autos:
                s["auto_reasons"] = {}
                for d in devices:
                    target, reasons = auto_reasons(api, s["app"], d["cpuinfo"])
                    s["auto_reasons"][d["path"]] = {"target": target, "reasons": reasons}
                    served = set(s["device_targets"].get(d["path"], {}))
                    mismatch = "" if target is None or served == {target} else \
                        f" (BOOTS GOT {', '.join(sorted(served)) or 'refused'})"
                    say(f"  {s['base_app']:<10} {d['name']:<33} {target or '-':<22} "
                        f"{reasons[-1] if reasons else '-'}{mismatch}")
                unmeasured = [d for d in devices
                              if any("not measured" in r for r in s["auto_reasons"][d["path"]]["reasons"][-1:])]
                s["boots_to_unmeasured_targets"] = sum(d["weight"] for d in unmeasured)
                say(f"  {s['base_app']}: {s['boots_to_unmeasured_targets']} of {s['boots']} boots "
                    f"({len(unmeasured)} of {len(devices)} device models) answered with a target the payoff run did "
                    f"not measure")
            say("")

        say("== comparison")
        head = ["app", "policy", "boots", "distinct images", "tailor_images_distinct", "builds run (x86_64)",
                "edge share", "pending", "refused", "targets"]
        rows = []
        for s in summaries:
            b = s["builds"]
            m = s["metric_images_distinct"]
            rows.append([s["base_app"], s["policy"], str(s["boots"]), str(s["distinct_images"]),
                         "n/a" if m is None else f"{m:g}",
                         "n/a" if "error" in b else f"{b['image']} ({b['image_x86_64']})",
                         "-" if s["edge_share_pct"] is None else f"{s['edge_share_pct']:.1f}%",
                         str(s["pending"]), str(s["refused"]),
                         " ".join(f"{t.replace('x86_64-', '')}:{c}" for t, c in sorted(s["targets"].items()))])
        for ln in table(head, rows, right=(2, 3, 4, 5, 6, 7, 8)):
            say(ln)
        say("targets: rung:boots (x86_64- left out)")
        say("builds run: image builds listed by GET /v1/builds?app= (payoff runs excluded), all architectures; in "
            "brackets the x86_64 ones")
        say("edge share: (redirected boots - distinct images) / redirected boots: an edge that keeps every image it "
            "served once answers every later boot of it")
        say("")
    say(f"host CPU: {host['model_name']} ({host['vendor']}, family {host['family']} model {host['model']}); the "
        f"payoff runs measured natively here")
    absent = collections.defaultdict(list)
    for name, p in payoffs.items():
        if isinstance(p.get("report"), dict):
            for k in missing_members(p["report"]):
                absent[k].append(name)
    if absent:
        say("")
        say("PAYOFF REPORT MEMBERS docs/API.md NAMES BUT THE SERVICE DID NOT SEND:")
        for k, names in sorted(absent.items()):
            say(f"  {k}: absent in the report of {', '.join(names)}")
    if metric is not None and not metric:
        say("")
        say("METRIC: tailor_images_distinct is not in GET /actuator/prometheus (printed as n/a)")

    if deviations:
        say("")
        say(f"SERVICE ANSWERS NOT AS SPECIFIED, worked around ({len(deviations)}):")
        for d in deviations:
            say("  " + d)
    if problems:
        say("")
        say(f"PROBLEMS ({len(problems)}; exit status 1):")
        for p in problems:
            say("  " + p)

    doc = {
        "host": host,
        "fleet": {"scale": args.scale, "weight": f"{args.scale} x (1 + sha256(path) mod 20)", "boots": total,
                  "devices": [{k: v for k, v in d.items() if k != "cpuinfo"} for d in devices],
                  "order_sha256": hashlib.sha256("\n".join(order).encode()).hexdigest()},
        "payoff": payoffs,
        "runs": summaries,
        "metric_images_distinct": metric,
        "problems": problems,
        "deviations": deviations,
        "absent_report_members": absent,
    }
    with open(os.path.join(args.out, "auto-ladder.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "auto-ladder.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    with open(os.path.join(args.work, "boots.json"), "w") as f:
        json.dump(boots_log, f, indent=1)
    log(f"auto-ladder: wrote {args.out}/auto-ladder.txt and auto-ladder.json")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
