#!/usr/bin/env python3
"""The edge-boots benchmark's driver (bench/edge-boots.sh starts the service and varnishd, then runs this; standard
library only, http.client so that no redirect is followed behind the bench's back).

A fleet of 20 device models (the first 10 x86_64 and the first 10 aarch64/arm /proc/cpuinfo files of the fingerprint
corpus whose fingerprints the service does not refuse) boots a freshly released hello bundle 1,000 times (50 boots a
model, one deterministic shuffled order) through a Varnish edge running the project's VCL, in two forms:

  canonical GET   GET /v1/boot/hello/stable?cpu=<the device's compact fingerprint>: a 307 to the canonical query, then
                  the canonical answer; both are edge-cacheable once the tuned image exists
  POST cpuinfo    POST /v1/boot/hello/stable with the device's /proc/cpuinfo (Content-Type: text/plain): what every
                  device client did before canonical fingerprints (today's figure); the VCL passes it to the origin

A boot follows 307s; on a 503 or a `Tailor-Tuned: pending` fallback it sleeps 0.2 s and asks again from its first URL
(at most 300 tries); it counts when it has the final 302. A request reached the origin when its answer lacks
`X-Cache: HIT`. Every boot's final Location must be the one its model's first POST got.

    python3 bench/edge-boots.py --port P --edge-port E --token-file F --work DIR [--varnish-name DIR] [--out DIR]
    python3 bench/edge-boots.py --dry-run     (no service: the candidate models, their compact forms, the order)
"""
import argparse
import collections
import datetime
import hashlib
import http.client
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import time
import urllib.parse

from benchlib import log, host_cpu, table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FINGERPRINTS = os.path.join(ROOT, "src", "test", "resources", "fingerprints")
HELLO_C = os.path.join(ROOT, "examples", "hello", "src", "hello.c")
APP = "hello"
CHANNEL = "stable"
X86 = ("x86_64",)
ARM = ("aarch64", "armv7", "arm")  # index.json names 32-bit Arm "arm" (the service accepts it as an armv7 alias)
PER_GROUP = 10
BOOTS_PER_MODEL = 50
MAX_TRIES = 300
RETRY_SLEEP = 0.2
MAX_HOPS = 5
GOAL_PCT = 98.0
FORMS = [("get", "canonical GET via the edge"), ("post", "POST cpuinfo via the edge [today]")]


# ---------------------------------------------------------------------------------------------------------- fleet


def feature_line(text, key):
    """The value of the first `key : value` line of a /proc/cpuinfo (key compared case-insensitively), or None."""
    for line in text.splitlines():
        k, sep, v = line.partition(":")
        if sep and k.strip().lower() == key:
            return v.strip()
    return None


def compact(arch, cpuinfo):
    """The compact fingerprint a device client without a canonical form sends: <arch>: + its flags (x86) or Features
    (Arm) line, comma-joined; None when the file has no such line."""
    line = feature_line(cpuinfo, "flags" if arch in X86 else "features")
    if not line:
        return None
    return arch + ":" + ",".join(line.split())


def candidates(root=FINGERPRINTS):
    """index.json's x86_64 and Arm entries, in its order, each with its cpuinfo and compact form."""
    with open(os.path.join(root, "index.json")) as f:
        index = json.load(f)
    out = {"x86": [], "arm": []}
    for e in index:
        arch = e.get("arch")
        group = "x86" if arch in X86 else "arm" if arch in ARM else None
        if group is None:
            continue
        full = os.path.join(root, e["path"])
        if not os.path.isfile(full):
            raise SystemExit(f"edge-boots: index.json names {e['path']}, which is not in {root}")
        with open(full, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8", "replace")
        cpu = e.get("cpu") or {}
        props = e.get("device_props") or {}
        model = cpu.get("model name") or props.get("ro.product.model") or feature_line(text, "hardware") \
            or feature_line(text, "processor") or "-"
        out[group].append({"path": e["path"], "name": os.path.basename(e["path"]), "arch": arch, "model": model,
                           "expected_microarch": e.get("expected_microarch"), "cpuinfo": raw,
                           "compact": compact(arch, text)})
    return out


def boot_order(paths):
    """BOOTS_PER_MODEL boots of every model, shuffled deterministically: sorted by sha256 of 'edge-boots:<path>#<n>'."""
    boots = [(p, n) for p in paths for n in range(BOOTS_PER_MODEL)]
    boots.sort(key=lambda b: hashlib.sha256(f"edge-boots:{b[0]}#{b[1]}".encode()).hexdigest())
    return [p for p, _ in boots]


def hello_bundle():
    """bench/boot.sh's release(): examples/hello's source with a manifest naming no archs (so all four), as a tar."""
    with open(HELLO_C, "rb") as f:
        src = f.read()
    manifest = f'name: {APP}\nversion: 1.0.0\nsources: [src/*.c]\ndefines: {{EXIT_CODE: "1"}}\n'.encode()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in (("tailor.yaml", manifest), ("src/hello.c", src)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


# ---------------------------------------------------------------------------------------------------------- HTTP


class Http:
    """Keep-alive connections per (host, port); never follows redirects."""

    def __init__(self, timeout=120):
        self.conns = {}
        self.timeout = timeout

    def request(self, method, host, port, path, body=None, headers=None):
        key = (host, port)
        for attempt in range(2):
            conn = self.conns.get(key)
            if conn is None:
                conn = self.conns[key] = http.client.HTTPConnection(host, port, timeout=self.timeout)
            try:
                t0 = time.perf_counter()
                conn.request(method, path, body=body, headers=headers or {})
                r = conn.getresponse()
                data = r.read()
                ms = (time.perf_counter() - t0) * 1000
                h = {k.lower(): v for k, v in r.getheaders()}
                if h.get("connection", "").lower() == "close" or r.will_close:
                    conn.close()
                    del self.conns[key]
                return r.status, h, data, ms
            except (http.client.HTTPException, OSError):
                conn.close()
                self.conns.pop(key, None)
                if attempt == 1:
                    raise

    def close_all(self):
        for conn in self.conns.values():
            conn.close()
        self.conns.clear()


def problem(status, data):
    try:
        doc = json.loads(data) if data else None
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        return f"HTTP {status} {doc.get('code') or ''} {doc.get('detail') or doc.get('title') or ''}".strip()
    text = data[:200].decode("utf-8", "replace").strip() if data else ""
    return f"HTTP {status}" + (f" {text}" if text else "")


class Api:
    def __init__(self, http, port, token):
        self.http = http
        self.port = port
        self.token = token

    def call(self, method, path, body=None, ctype=None, auth=False):
        headers = {}
        if ctype:
            headers["Content-Type"] = ctype
        if auth:
            headers["Authorization"] = "Bearer " + self.token
        status, _, data, _ = self.http.request(method, "127.0.0.1", self.port, path, body, headers)
        return status, data


# ---------------------------------------------------------------------------------------------------------- boots


def boot(http, edge_port, form, device):
    """One device boot through the edge until its final 302: a dict with every request of the chain."""
    if form == "get":
        method, body, headers = "GET", None, {}
        start = f"/v1/boot/{APP}/{CHANNEL}?cpu=" + urllib.parse.quote(device["compact"], safe="")
    else:
        method, body, headers = "POST", device["cpuinfo"], {"Content-Type": "text/plain"}
        start = f"/v1/boot/{APP}/{CHANNEL}"
    reqs = []
    rec = {"requests": reqs, "tries": 0, "final": False}
    while rec["tries"] < MAX_TRIES:
        rec["tries"] += 1
        host, port, path = "127.0.0.1", edge_port, start
        hops = 0
        while True:
            try:
                status, h, data, ms = http.request(method, host, port, path, body, headers)
            except (http.client.HTTPException, OSError) as e:
                rec["error"] = f"{method} {host}:{port}{path[:80]}: {type(e).__name__}: {e}"
                return rec
            xcache = h.get("x-cache")
            reqs.append({"method": method, "port": port, "path": path, "status": status, "x_cache": xcache,
                         "origin": xcache != "HIT", "tuned": h.get("tailor-tuned"), "target": h.get("tailor-target"),
                         "canonical": h.get("tailor-cpu-canonical"), "location": h.get("location"),
                         "cache_control": h.get("cache-control"), "ms": round(ms, 2)})
            if status >= 400:
                reqs[-1]["problem"] = problem(status, data)
                reqs[-1]["retry_after"] = h.get("retry-after")
            if status == 307 and hops < MAX_HOPS and h.get("location"):
                u = urllib.parse.urlsplit(urllib.parse.urljoin(f"http://{host}:{port}{path}", h["location"]))
                host, port = u.hostname, u.port or 80
                path = u.path + ("?" + u.query if u.query else "")
                hops += 1
                continue
            break
        last = reqs[-1]
        if status == 302 and (last["tuned"] or "").lower() != "pending" and last["location"]:
            rec.update(final=True, location=last["location"], target=last["target"], canonical=last["canonical"])
            return rec
        if status == 503 or (status == 302 and (last["tuned"] or "").lower() == "pending"):
            time.sleep(RETRY_SLEEP)
            continue
        rec["error"] = f"{method} {path[:100]} answered {problem(status, data)}"
        return rec
    rec["error"] = f"no final answer after {MAX_TRIES} tries"
    return rec


def replay(http, edge_port, form, order, by_path):
    out = []
    seen = set()
    t0 = time.time()
    for i, path in enumerate(order):
        rec = boot(http, edge_port, form, by_path[path])
        rec.update(n=i, device=path, first=path not in seen)
        seen.add(path)
        rec["origin_requests"] = sum(1 for r in rec["requests"] if r["origin"])
        rec["at_edge"] = rec["final"] and rec["origin_requests"] == 0
        out.append(rec)
        if (i + 1) % 200 == 0:
            log(f"edge-boots: {form}: {i + 1}/{len(order)} boots ({time.time() - t0:.0f} s)")
    return out, round(time.time() - t0, 1)


# ---------------------------------------------------------------------------------------------------------- edge


def varnishstat(name):
    """A few of varnishd's counters ({} when varnishstat cannot read them)."""
    if not name:
        return {}
    fields = ["MAIN.client_req", "MAIN.cache_hit", "MAIN.cache_hit_grace", "MAIN.cache_miss", "MAIN.cache_hitmiss",
              "MAIN.s_pass", "MAIN.backend_req", "MAIN.bgfetch"]
    cmd = ["varnishstat", "-n", name, "-1"]
    for f in fields:
        cmd += ["-f", f]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    stats = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 2 and p[0] in fields:
            try:
                stats[p[0]] = int(p[1])
            except ValueError:
                pass
    return stats


def varnish_version():
    try:
        r = subprocess.run(["varnishd", "-V"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as e:
        return f"n/a ({e})"
    for line in (r.stderr + r.stdout).splitlines():
        if line.startswith("varnishd"):
            return line.strip()
    return "n/a"


def alive(pid):
    if not pid:
        return True
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def prometheus_purges(api):
    """tailor_edge_purges_total by outcome, or None."""
    status, data = api.call("GET", "/actuator/prometheus")
    if status != 200:
        return None
    out = collections.Counter()
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("tailor_edge_purges_total"):
            outcome = "ok" if 'outcome="ok"' in line else "failed" if 'outcome="failed"' in line else "?"
            try:
                out[outcome] += float(line.rsplit(None, 1)[1])
            except (ValueError, IndexError):
                pass
    return dict(out)


# ---------------------------------------------------------------------------------------------------------- report


def short(s, n=56):
    if not s:
        return "-"
    if len(s) <= n:
        return s
    head, _, feats = s.partition(":")
    return f"{s[:n - 18]}... ({len(feats.split(','))} features)"


def summarise(form, label, boots, secs, stats_delta):
    done = [b for b in boots if b["final"]]
    later = [b for b in boots if not b["first"]]
    at_edge = sum(1 for b in boots if b["at_edge"])
    at_edge_later = sum(1 for b in later if b["at_edge"])
    origin = sum(b["origin_requests"] for b in boots)
    reqs = sum(len(b["requests"]) for b in boots)
    hit_ms = sorted(r["ms"] for b in boots for r in b["requests"] if not r["origin"])
    return {
        "form": form, "label": label, "boots": len(boots), "final": len(done),
        "failed": len(boots) - len(done), "seconds": secs,
        "at_edge": at_edge, "share_pct": at_edge / len(boots) * 100 if boots else None,
        "later_boots": len(later), "at_edge_later": at_edge_later,
        "share_later_pct": at_edge_later / len(later) * 100 if later else None,
        "origin_requests": origin, "origin_per_1000": origin / len(boots) * 1000 if boots else None,
        "origin_requests_later": sum(b["origin_requests"] for b in later),
        "requests": reqs, "retries": sum(b["tries"] - 1 for b in boots),
        "statuses": dict(collections.Counter(f"{r['status']} {r['x_cache'] or '-'}" for b in boots
                                             for r in b["requests"])),
        "errors": dict(collections.Counter(f"{r['problem']} (X-Cache {r['x_cache'] or '-'})" for b in boots
                                           for r in b["requests"] if r.get("problem"))),
        "pending_answers": sum(1 for b in boots for r in b["requests"] if (r["tuned"] or "").lower() == "pending"),
        "edge_hit_ms_median": hit_ms[len(hit_ms) // 2] if hit_ms else None,
        "varnishstat": stats_delta,
    }


# ---------------------------------------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int)
    ap.add_argument("--edge-port", type=int)
    ap.add_argument("--token-file")
    ap.add_argument("--work")
    ap.add_argument("--varnish-name", default="", help="varnishd's -n directory, for varnishstat")
    ap.add_argument("--edge-pid", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--jar", default="")
    ap.add_argument("--dry-run", action="store_true", help="no service: the candidate models and the order")
    args = ap.parse_args()

    cands = candidates()
    if args.dry_run:
        for group in ("x86", "arm"):
            print(f"{group}: {len(cands[group])} candidates (the first {PER_GROUP} the service does not refuse are used)")
            for d in cands[group]:
                print(f"  {d['arch']:<8} {d['name']:<34} {short(d['compact'], 70)}")
        first = [d["path"] for g in ("x86", "arm") for d in [c for c in cands[g] if c["compact"]][:PER_GROUP]]
        order = boot_order(first)
        print(f"order over the unscreened first {PER_GROUP}+{PER_GROUP}: {len(order)} boots, sha256 "
              f"{hashlib.sha256(chr(10).join(order).encode()).hexdigest()}")
        print(f"bundle: {len(hello_bundle())} bytes")
        return 0
    if not (args.port and args.edge_port and args.token_file and args.work):
        ap.error("--port, --edge-port, --token-file and --work are needed (or --dry-run)")

    with open(args.token_file) as f:
        token = f.read().strip()
    http = Http()
    api = Api(http, args.port, token)
    os.makedirs(args.out, exist_ok=True)
    report, problems, notes = [], [], []

    def say(line=""):
        report.append(line)
        print(line, flush=True)

    cpu = host_cpu()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    host = {"model_name": cpu.get("model name", "?"), "vendor": cpu.get("vendor_id", "?"), "cpus": os.cpu_count(),
            "machine": platform.machine(), "kernel": platform.release(), "date": started, "jar": args.jar,
            "varnishd": varnish_version()}

    # -- the fleet: the first PER_GROUP of each group whose fingerprint the service does not refuse, both forms
    fleet, skipped = [], []
    for group in ("x86", "arm"):
        taken = 0
        for d in cands[group]:
            if taken == PER_GROUP:
                break
            if not d["compact"]:
                skipped.append((d, "no flags/Features line"))
                continue
            why = []
            for what, path, body, ctype in (
                    ("compact", "/v1/fingerprints/resolve?policy=auto&cpu=" + urllib.parse.quote(d["compact"], safe=""),
                     None, None),
                    ("cpuinfo", "/v1/fingerprints/resolve?policy=auto", d["cpuinfo"], "text/plain")):
                status, data = api.call("POST", path, body, ctype)
                if 400 <= status < 500:
                    why.append(f"{what}: {problem(status, data)}")
                elif status != 200:
                    problems.append(f"resolve of {d['path']} ({what}) answered {problem(status, data)}")
                    why.append(f"{what}: {problem(status, data)}")
                else:
                    doc = json.loads(data)
                    d[f"resolve_{what}"] = {"target": (doc.get("target") or {}).get("id"),
                                            "canonical": doc.get("canonical")}
            if why:
                skipped.append((d, "; ".join(why)))
                continue
            fleet.append(d)
            taken += 1
        if taken < PER_GROUP:
            problems.append(f"only {taken} {group} models the service does not refuse (wanted {PER_GROUP})")
    by_path = {d["path"]: d for d in fleet}
    order = boot_order([d["path"] for d in fleet])

    say("== Tailor edge-boots benchmark: fleet boots through a Varnish edge, canonical GET vs POST cpuinfo (today)")
    say(f"host:     {host['model_name']} ({host['vendor']}), {host['cpus']} CPUs, {host['machine']}, Linux "
        f"{host['kernel']}; {started}")
    say(f"edge:     {host['varnishd']}, cdn-config/varnish/tailor.vcl (backend: the service on 127.0.0.1:{args.port}), "
        f"-s malloc,64m, on 127.0.0.1:{args.edge_port}; the service purges it (tailor.delivery.edges[0])")
    say(f"app:      {APP} (examples/hello, manifest without archs: all four), released to {CHANNEL}, nothing "
        f"built for the devices before the first boot")
    say(f"fleet:    {len(fleet)} device models of {os.path.relpath(FINGERPRINTS, ROOT)}/index.json, {len(order)} "
        f"boots ({BOOTS_PER_MODEL} a model, one deterministic shuffled order, replayed in both forms)")
    for d, why in skipped:
        say(f"          skipped {d['path']}: refused ({why})")
    say("")

    # -- release
    status, data = api.call("POST", f"/v1/apps/{APP}/bundles", hello_bundle(), "application/x-tar", auth=True)
    digest = None
    if status in (200, 201):
        digest = json.loads(data).get("digest")
    if not digest:
        problems.append(f"upload of {APP} answered {problem(status, data)}")
    else:
        status, data = api.call("PUT", f"/v1/apps/{APP}/channels/{CHANNEL}", json.dumps({"bundle": digest}).encode(),
                                "application/json", auth=True)
        if status != 200:
            problems.append(f"release of {APP} to {CHANNEL} answered {problem(status, data)}")
            digest = None

    runs, summaries = {}, []
    if digest and fleet:
        time.sleep(1)  # the release's purge is asynchronous: let it reach the edge before the first boot
        for form, label in FORMS:
            log(f"edge-boots: {len(order)} boots, {label} ...")
            before = varnishstat(args.varnish_name)
            boots, secs = replay(http, args.edge_port, form, order, by_path)
            # varnishd sums a worker's counters when it lets go of the session: close ours and give it a moment
            http.close_all()
            time.sleep(1.5)
            after = varnishstat(args.varnish_name)
            delta = {k: after[k] - before.get(k, 0) for k in after}
            runs[form] = boots
            summaries.append(summarise(form, label, boots, secs, delta))
            failed = [b for b in boots if not b["final"]]
            for b in failed[:10]:
                problems.append(f"{label}: boot {b['n']} of {b['device']}: {b.get('error')}")
            if len(failed) > 10:
                problems.append(f"{label}: {len(failed) - 10} more boots without a final answer")
            if not alive(args.edge_pid):
                problems.append("varnishd exited during the run")
                break

    # -- correctness: every boot's image is the one its model's first POST got
    reference = {}
    for b in runs.get("post", []):
        if b["final"] and b["device"] not in reference:
            reference[b["device"]] = b
    wrong = {form: [] for form, _ in FORMS}
    owner = collections.defaultdict(set)
    for d in fleet:
        if d["path"] in reference:
            owner[reference[d["path"]]["location"]].add(d["name"])
    for form, _ in FORMS:
        for b in runs.get(form, []):
            ref = reference.get(b["device"])
            if not b["final"]:
                continue
            if ref is None:
                problems.append(f"{b['device']}: no POST boot got a final answer, so its image cannot be checked")
                break
            if b["location"] != ref["location"]:
                wrong[form].append(b)
    for s in summaries:
        s["wrong_images"] = len(wrong[s["form"]])

    # -- the models
    if fleet:
        say("== device models (canonical form and target from the final answers; GET = the device's compact "
            "?cpu=, POST = its cpuinfo)")
        rows, differ = [], []
        for d in fleet:
            g = next((b for b in runs.get("get", []) if b["device"] == d["path"] and b["final"]), None)
            p = reference.get(d["path"])
            d["get_canonical"] = g and g["canonical"]
            d["get_target"] = g and g["target"]
            d["post_canonical"] = p and p["canonical"]
            d["post_target"] = p and p["target"]
            d["image"] = p and p["location"]
            gb = [b for b in runs.get("get", []) if b["device"] == d["path"]]
            first = next((b for b in gb if b["first"]), None)
            d["get_origin_requests"] = sum(b["origin_requests"] for b in gb)
            d["get_origin_requests_later"] = sum(b["origin_requests"] for b in gb if not b["first"])
            d["get_first_boot_tries"] = first and first["tries"]
            d["get_first_boot_requests"] = first and len(first["requests"])
            same = d["get_canonical"] == d["post_canonical"]
            rows.append([d["arch"], d["name"], short(d["get_canonical"]),
                         "=" if same else short(d["post_canonical"]),
                         d["get_target"] or "-", "=" if d["post_target"] == d["get_target"] else (d["post_target"] or "-"),
                         str(d["get_first_boot_tries"] or "-"), str(d["get_origin_requests"]),
                         str(d["get_origin_requests_later"])])
            if not same and g and p:
                differ.append(d)
        for ln in table(["arch", "model", "canonical (GET)", "canonical (POST)", "target (GET)", "target (POST)",
                         "1st boot tries", "origin reqs", "after 1st"], rows, right=(6, 7, 8)):
            say(ln)
        if differ:
            notes.append(f"{len(differ)} of {len(fleet)} models get another canonical form from their cpuinfo POST "
                         f"than from their compact GET (" + ", ".join(
                             f"{d['name']}: {d['get_canonical'].split(':', 1)[0]} vs "
                             f"{d['post_canonical'].split(':', 1)[0]}" for d in differ[:4])
                         + (", ..." if len(differ) > 4 else "") + "; the features "
                         + ("are the same" if all(d["get_canonical"].split(":", 1)[1] ==
                                                  d["post_canonical"].split(":", 1)[1] for d in differ)
                            else "differ for some")
                         + "): the POST's names the vendor (and Arm parts), which a flags-only compact fingerprint "
                           "cannot carry; full forms in the .json")
        say("tries: asks of the model's first GET boot (a 503 or a pending fallback is asked again after 0.2 s); "
            "origin reqs: the model's GET-form requests that reached the origin, all boots / after its first boot")
        say("")

    if summaries:
        say(f"== {len(order)} boots of {len(fleet)} models through the edge")
        rows = []
        for s in summaries:
            pct = "-" if s["share_pct"] is None else f"{s['share_pct']:.1f}%"
            later = "-" if s["share_later_pct"] is None else f"{s['share_later_pct']:.1f}% ({s['at_edge_later']}/" \
                                                             f"{s['later_boots']})"
            rows.append([s["label"], str(s["boots"]), str(s["at_edge"]), pct, later, str(s["origin_requests"]),
                         f"{s['origin_per_1000']:.0f}", str(s["wrong_images"])])
        for ln in table(["form", "boots", "answered at the edge", "share", "share after each model's 1st boot "
                         f"(goal >= {GOAL_PCT:.0f}%)", "origin requests", "per 1,000 boots", "wrong images"],
                        rows, right=(1, 2, 3, 4, 5, 6, 7)):
            say(ln)
        by = {s["form"]: s for s in summaries}
        if "get" in by and "post" in by and by["get"]["origin_per_1000"]:
            g, p = by["get"], by["post"]
            say(f"origin requests per 1,000 boots: {g['origin_per_1000']:.0f} with the canonical GET, "
                f"{p['origin_per_1000']:.0f} today (POST cpuinfo): {p['origin_per_1000'] / g['origin_per_1000']:.1f}x "
                f"fewer")
        elif "get" in by and "post" in by:
            say(f"origin requests per 1,000 boots: 0 with the canonical GET, {by['post']['origin_per_1000']:.0f} today")
        if "get" in by and by["get"]["share_later_pct"] is not None:
            ok = by["get"]["share_later_pct"] >= GOAL_PCT
            say(f"goal (>= {GOAL_PCT:.0f}% of boots after each model's first answered at the edge): "
                + ("met" if ok else "NOT MET") + f" ({by['get']['share_later_pct']:.1f}%)")
        say("answered at the edge: every request of the boot's chain (307s followed, pending/503 asked again) had "
            "X-Cache: HIT; origin requests: requests without it")
        say("wrong images: boots whose final Location differs from the one their model's first POST got")
        say("")
        say("== details")
        for s in summaries:
            vs = s["varnishstat"]
            say(f"  {s['label']}: {s['seconds']} s; {s['requests']} requests ({', '.join(f'{k} x{v}' for k, v in sorted(s['statuses'].items()))}); "
                f"{s['retries']} asks again, {s['pending_answers']} pending fallbacks; "
                f"origin requests after each model's 1st boot: {s['origin_requests_later']}; "
                f"median edge hit {s['edge_hit_ms_median'] if s['edge_hit_ms_median'] is not None else '-'} ms")
            if s["errors"]:
                say("    4xx/5xx answers: " + "; ".join(f"{k} x{v}" for k, v in sorted(s["errors"].items())))
            if vs:
                say("    varnishstat: " + ", ".join(f"{k.split('.', 1)[1]} +{vs[k]}" for k in
                                                    ["MAIN.client_req", "MAIN.cache_hit", "MAIN.cache_hit_grace",
                                                     "MAIN.cache_miss", "MAIN.cache_hitmiss", "MAIN.s_pass",
                                                     "MAIN.backend_req", "MAIN.bgfetch"] if k in vs)
                    + (" (backend_req: the fetches varnishd made from the origin)"))
                if vs.get("MAIN.backend_req") is not None and vs["MAIN.backend_req"] != s["origin_requests"]:
                    notes.append(f"{s['label']}: varnishd made {vs['MAIN.backend_req']} backend requests, the "
                                 f"devices saw {s['origin_requests']} answers without X-Cache: HIT")
        purges = prometheus_purges(api)
        if purges is not None:
            say(f"  tailor_edge_purges_total: {purges or 'none'}")
        later_origin = [(s["label"], b) for s in summaries if s["form"] == "get"
                        for b in runs["get"] if not b["first"] and b["origin_requests"]]
        if later_origin:
            say(f"  GET boots after their model's first that reached the origin ({len(later_origin)}; the first 15):")
            for _, b in later_origin[:15]:
                chain = " -> ".join(f"{r['status']} {r['x_cache'] or 'no X-Cache'}"
                                    + (" pending" if (r["tuned"] or "").lower() == "pending" else "")
                                    + (f" [{r['cache_control']}]" if r["origin"] else "") for r in b["requests"])
                say(f"    boot {b['n']:>4} {by_path[b['device']]['name']:<32} {chain}")
        say("")

    for form, label in FORMS:
        for b in wrong[form][:10]:
            ref = reference[b["device"]]
            others = sorted(owner.get(b["location"], set()) - {by_path[b["device"]]["name"]})
            problems.append(f"WRONG IMAGE ({label}): boot {b['n']} of {b['device']} got {b['location']} "
                            f"(target {b['target']}, canonical {b['canonical']}); its first POST got "
                            f"{ref['location']} (target {ref['target']})"
                            + (f"; that image is the one of {', '.join(others)}" if others else ""))
        if len(wrong[form]) > 10:
            problems.append(f"{label}: {len(wrong[form]) - 10} more wrong images")
    say(f"host CPU: {host['model_name']}; {host['varnishd']}")
    if notes:
        say("")
        say("NOTES:")
        for n in notes:
            say("  " + n)
    if problems:
        say("")
        say(f"PROBLEMS ({len(problems)}; exit status 1):")
        for p in problems:
            say("  " + p)

    doc = {
        "host": host,
        "app": APP, "channel": CHANNEL, "bundle": digest,
        "fleet": [{k: v for k, v in d.items() if k != "cpuinfo"} for d in fleet],
        "skipped": [{"path": d["path"], "why": why} for d, why in skipped],
        "boots": len(order),
        "order_sha256": hashlib.sha256("\n".join(order).encode()).hexdigest(),
        "goal_share_after_first_pct": GOAL_PCT,
        "forms": summaries,
        "wrong_images": {form: [{"n": b["n"], "device": b["device"], "location": b["location"],
                                 "expected": reference[b["device"]]["location"]} for b in wrong[form]]
                         for form, _ in FORMS},
        "notes": notes,
        "problems": problems,
    }
    with open(os.path.join(args.out, "edge-boots.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "edge-boots.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    with open(os.path.join(args.work, "boots.json"), "w") as f:
        json.dump(runs, f, indent=1)
    log(f"edge-boots: wrote {args.out}/edge-boots.txt and edge-boots.json")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
