#!/usr/bin/env python3
"""The payoff benchmark's driver (bench/payoff.sh starts the service and runs this; standard library only).

Packs and uploads each kernel of examples/payoff, has Tailor build it for x86_64-v1 (the baseline), for the x86-64
levels, for this host's `native` answer, for wasm32-mvp and wasm32-simd128 (modules run under Node) and for i686
(run natively only where this kernel can exec 32-bit programs; otherwise checked once under qemu-i386, never
timed), downloads every build, runs each natively N times in alternating order, checks every run's known answers,
and reports per-measurement medians, spreads and speedups, the goals, a JSON record and an SVG chart.
"""
import argparse
import datetime
import errno
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from benchlib import log

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAYOFF = os.path.join(ROOT, "examples", "payoff")
RUN_MJS = os.path.join(ROOT, "compiler-workers", "wasm", "run.mjs")

BASELINE = "x86_64-v1"
WASM_REF = "wasm32-simd128"
WASM_TARGETS = ["wasm32-mvp", "wasm32-simd128"]
I686_TARGETS = ["i686-base", "i686-sse2"]
CONTROL = "control"
# one measurement per kernel stands for it in the summary (the kernel's first measurement if the name differs)
PRIMARY = {
    "aes-gcm": "aes256gcm-16k",
    "sha256": "sha256-16k",
    "chacha20-poly1305": "chacha20poly1305-16k",
    "x25519": "x25519",
    "ed25519": "ed25519-sign",
    "tls13-handshake": "tls13-handshake",
}
KERNEL_ORDER = ["aes-gcm", "sha256", "chacha20-poly1305", "x25519", "ed25519", "tls13-handshake", "control"]
RELEVANT_FLAGS = ["aes", "pclmulqdq", "sha_ni", "avx2", "avx512f", "vaes", "vpclmulqdq", "bmi2", "adx"]
CPUINFO_ALIASES = {"pni": "sse3", "lzcnt": "abm"}
NOT_RUN_32BIT = "not run: this kernel cannot run 32-bit executables"
RUN_TIMEOUT = 600
RESULT_RE = re.compile(r"^payoff: result (.*)$")


# ---------------------------------------------------------------------------------------------------------- HTTP


class Api:
    def __init__(self, port, token):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

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


def problem(status, doc):
    if isinstance(doc, dict):
        return f"HTTP {status} {doc.get('code') or ''} {doc.get('detail') or doc.get('title') or ''}".strip()
    return f"HTTP {status}"


# ---------------------------------------------------------------------------------------------------------- host


def read_cpuinfo():
    with open("/proc/cpuinfo") as f:
        text = f.read()
    first = {}
    for line in text.splitlines():
        if not line.strip():
            if first:
                break
            continue
        k, _, v = line.partition(":")
        first.setdefault(k.strip(), v.strip())
    return text, first


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "not found"


def host_info(cpuinfo_first, runs, budget_ms):
    flags = set(cpuinfo_first.get("flags", "").split())
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return {
        "model_name": cpuinfo_first.get("model name", "?"),
        "vendor": cpuinfo_first.get("vendor_id", "?"),
        "family": cpuinfo_first.get("cpu family", "?"),
        "model": cpuinfo_first.get("model", "?"),
        "stepping": cpuinfo_first.get("stepping", "?"),
        "flags_present": [f for f in RELEVANT_FLAGS if f in flags],
        "flags_absent": [f for f in RELEVANT_FLAGS if f not in flags],
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "clang": tool_version(["clang", "--version"]),
        "node": tool_version(["node", "--version"]),
        "qemu_i386": tool_version(["qemu-i386", "--version"]) if shutil.which("qemu-i386") else "not found",
        "loadavg_at_start": load,
        "runs": runs,
        "budget_ms": budget_ms if budget_ms else 300,
        "budget_overridden": bool(budget_ms),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ---------------------------------------------------------------------------------------------------------- targets


def choose_targets(api, cpuinfo_text, beyond):
    """Which targets to build, from the catalog and the service's answers for this host's /proc/cpuinfo."""
    status, catalog = api.json("GET", "/v1/targets")
    if status != 200 or not isinstance(catalog, list):
        raise SystemExit(f"payoff: GET /v1/targets failed: {problem(status, catalog)}")
    by_id = {t["id"]: t for t in catalog}
    answers = {}
    for policy in ("native", "level"):
        status, doc = api.json("POST", f"/v1/fingerprints/resolve?policy={policy}", cpuinfo_text.encode(), "text/plain")
        if status != 200:
            raise SystemExit(f"payoff: resolving this host's /proc/cpuinfo ({policy}) failed: {problem(status, doc)}")
        answers[policy] = doc
    native = answers["native"]["target"]["id"]
    host_arch = answers["native"].get("arch", "x86_64")
    host_features = set(answers["native"].get("features") or [])
    if not host_features:  # fall back to the raw flags with the usual renames
        _, first = read_cpuinfo()
        host_features = {CPUINFO_ALIASES.get(f, f) for f in first.get("flags", "").split()}

    def missing(tid):
        return sorted(set(by_id[tid]["features"]) - host_features)

    levels = sorted((t for t in catalog if t["arch"] == "x86_64" and t.get("policy") == "level"),
                    key=lambda t: len(t["features"]))
    level_ids = [t["id"] for t in levels]
    runnable_levels = [t for t in level_ids if not missing(t)]
    best_level = runnable_levels[-1] if runnable_levels else BASELINE

    # The named microarchitecture this CPU comes closest to, when the native answer is only a level because the
    # cpuinfo flags lack something (a hypervisor hiding abm, say): among the named targets the service would pick
    # for this vendor if the CPU had their missing features, the one sharing most features with the host.
    nearest = None
    nearest_note = None
    if by_id.get(native, {}).get("policy") == "level" and host_arch == "x86_64":
        vendor = answers["native"].get("vendor")
        candidates = []
        for t in catalog:
            if t["arch"] != "x86_64" or t.get("policy") != "native" or not missing(t["id"]):
                continue
            fp = {"arch": "x86_64", "features": sorted(host_features | set(t["features"]))}
            if vendor:
                fp["vendor"] = vendor
            status, doc = api.json("POST", "/v1/fingerprints/resolve?policy=native", json.dumps(fp).encode(),
                                   "application/json")
            if status == 200 and doc["target"]["id"] == t["id"]:
                overlap = len(set(t["features"]) & host_features)
                candidates.append((overlap, -len(missing(t["id"])), t["id"]))
        if candidates:
            nearest = max(candidates)[2]
            nearest_note = (f"Tailor answers {native} for this host because its /proc/cpuinfo lacks "
                            f"{', '.join(missing(nearest))}, which {nearest} requires")

    plan = []  # (target id, flavor, roles, missing features)

    def add(tid, flavor, roles):
        if tid not in by_id:
            plan.append({"target": tid, "flavor": flavor, "roles": roles + ["not in the catalog"], "missing": []})
            return
        for p in plan:
            if p["target"] == tid:
                p["roles"] += [r for r in roles if r not in p["roles"]]
                return
        plan.append({"target": tid, "flavor": flavor, "roles": roles, "missing": missing(tid)})

    for w in WASM_TARGETS:
        add(w, "image", ["wasm"])
    for tid in level_ids:
        roles = ["level"]
        if tid == BASELINE:
            roles.append("baseline")
        if tid == best_level:
            roles.append("best level")
        if missing(tid):
            if not beyond:
                continue
            roles.append("beyond cpuinfo")
        add(tid, "linux", roles)
    add(native, "linux", ["native answer"])
    if nearest and beyond:
        add(nearest, "linux", ["nearest named", "beyond cpuinfo"])
    for tid in I686_TARGETS:
        add(tid, "linux", ["i686"])
    return {
        "catalog": by_id,
        "native": native,
        "level_answer": answers["level"]["target"]["id"],
        "native_reasons": answers["native"].get("reasons", []),
        "next": answers["native"].get("next"),
        "host_features": sorted(host_features),
        "levels": level_ids,
        "runnable_levels": runnable_levels,
        "best_level": best_level,
        "nearest_named": nearest if beyond else None,
        "nearest_named_unbuilt": nearest if not beyond else None,
        "nearest_note": nearest_note,
        "plan": plan,
    }


# ---------------------------------------------------------------------------------------------------------- bundles


def kernels_available(only):
    found = sorted(d for d in os.listdir(PAYOFF)
                   if d != "lib" and os.path.isfile(os.path.join(PAYOFF, d, "tailor.yaml")))
    if only:
        wanted = only.split()
        for k in wanted:
            if k not in found:
                log(f"payoff: no kernel {k} in examples/payoff (have: {' '.join(found)})")
        found = [k for k in found if k in wanted]
    return sorted(found, key=lambda k: (KERNEL_ORDER.index(k) if k in KERNEL_ORDER else len(KERNEL_ORDER), k))


def with_budget(yaml_text, budget_ms):
    """tailor.yaml with PAYOFF_BUDGET_MS set (development runs only)."""
    lines = yaml_text.splitlines()
    entry = f'PAYOFF_BUDGET_MS: "{budget_ms}"'
    for i, line in enumerate(lines):
        m = re.match(r"^defines:\s*(.*)$", line)
        if not m:
            continue
        rest = m.group(1).strip()
        if rest.startswith("{"):
            inner = rest.strip("{} ")
            inner = ", ".join(p for p in [inner] if p and "PAYOFF_BUDGET_MS" not in p)
            lines[i] = "defines: {" + (inner + ", " if inner else "") + entry + "}"
        else:
            lines.insert(i + 1, "  " + entry)
        return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\ndefines: {" + entry + "}\n"


def pack(kernel, work, budget_ms):
    out = os.path.join(work, "bundles", kernel + ".tar.gz")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    pack_sh = os.path.join(PAYOFF, "pack.sh")
    if budget_ms:
        tree = os.path.join(work, "payoff-src")
        if not os.path.isdir(tree):
            os.makedirs(tree)
            shutil.copy(pack_sh, tree)
            shutil.copytree(os.path.join(PAYOFF, "lib"), os.path.join(tree, "lib"))
        kdir = os.path.join(tree, kernel)
        shutil.rmtree(kdir, ignore_errors=True)
        shutil.copytree(os.path.join(PAYOFF, kernel), kdir)
        with open(os.path.join(kdir, "tailor.yaml")) as f:
            text = f.read()
        with open(os.path.join(kdir, "tailor.yaml"), "w") as f:
            f.write(with_budget(text, budget_ms))
        pack_sh = os.path.join(tree, "pack.sh")
    r = subprocess.run(["sh", pack_sh, kernel, out], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"pack.sh failed: {(r.stderr or r.stdout).strip()[:300]}")
    return out


def upload(api, kernel, path):
    with open(path, "rb") as f:
        body = f.read()
    status, doc = api.json("POST", f"/v1/apps/{kernel}/bundles", body, "application/gzip", auth=True)
    if status not in (200, 201):
        raise RuntimeError(f"upload failed: {problem(status, doc)}")
    return doc["digest"]


# ---------------------------------------------------------------------------------------------------------- builds


def build_error(rec):
    err = rec.get("error") or {}
    text = err.get("detail") or err.get("code") or rec.get("status")
    diags = err.get("diagnostics") or []
    if diags:
        d = diags[0]
        where = ":".join(str(x) for x in (d.get("file"), d.get("line"), d.get("column")) if x is not None)
        text += f" ({where}: {d.get('message')})" if where else f" ({d.get('message')})"
    return " ".join(str(text).split())[:240]


def build_one(api, digest, target, flavor, work, kernel):
    body = json.dumps({"bundle": digest, "target": target, "flavor": flavor}).encode()
    t0 = time.time()
    status, rec = api.json("POST", "/v1/builds?wait=120", body, "application/json", auth=True, timeout=200)
    if status not in (200, 202):
        return {"status": "failed", "error": problem(status, rec)}
    deadline = time.time() + 900
    while rec.get("status") not in ("succeeded", "failed"):
        if time.time() > deadline:
            return {"status": "failed", "error": f"build {rec.get('id')} still {rec.get('status')} after 15 min"}
        time.sleep(1)
        status, got = api.json("GET", f"/v1/builds/{rec['id']}", auth=True)
        if status == 200:
            rec = got
    out = {"status": rec["status"], "id": rec.get("id"), "duration_ms": rec.get("durationMs"),
           "wall_s": round(time.time() - t0, 2)}
    if rec["status"] != "succeeded":
        out["error"] = build_error(rec)
        return out
    img = rec["image"]
    out["image"] = img
    status, data = api.call("GET", img["url"], timeout=120)
    if status != 200:
        return {**out, "status": "failed", "error": f"download of {img['url']} answered HTTP {status}"}
    ext = "wasm" if target.startswith("wasm32") else "elf"
    path = os.path.join(work, "bin", kernel, f"{target}.{ext}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o755)
    out["path"] = path
    return out


# ---------------------------------------------------------------------------------------------------------- runs


def parse_output(text):
    results, kats, features, impl, failed, bad = [], [], None, [], [], []
    for line in text.splitlines():
        line = line.rstrip()
        m = RESULT_RE.match(line)
        if m:
            fields = dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv)
            try:
                results.append({
                    "name": fields["name"],
                    "bytes": int(fields.get("bytes", 0)),
                    "ops": int(fields.get("ops", 0)),
                    "ns_per_op": float(fields["ns_per_op"]),
                    "min_ns_per_op": float(fields.get("min_ns_per_op", fields["ns_per_op"])),
                    "max_ns_per_op": float(fields.get("max_ns_per_op", fields["ns_per_op"])),
                    "mb_per_s": float(fields.get("mb_per_s", 0)),
                })
            except (KeyError, ValueError):
                bad.append("unparseable result line: " + line[:200])
        elif line.startswith("payoff: kat "):
            kats.append(line[len("payoff: kat "):])
        elif line.startswith("payoff: features"):
            features = line[len("payoff: features"):].strip()
        elif re.match(r"^[a-z0-9][a-z0-9-]*: ", line) and not line.startswith(("payoff:", "tailor:")):
            impl.append(line.split(": ", 1)[1])
        if "FAILED" in line:
            failed.append(line[:300])
    return results, kats, features, impl, failed, bad


def command_for(entry):
    if entry["target"].startswith("wasm32"):
        return ["node", RUN_MJS, entry["path"]]
    return [entry["path"]]


def run_once(cmd, env=None):
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=RUN_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return {"ok": False, "reason": f"timed out after {RUN_TIMEOUT} s", "kat_failed": False}
    except OSError as e:
        return {"ok": False, "reason": f"cannot exec: {e.strerror}", "errno": e.errno, "kat_failed": False}
    wall = time.monotonic() - t0
    text = p.stdout.decode("utf-8", "replace")
    results, kats, features, impl, failed, bad = parse_output(text)
    out = {"rc": p.returncode, "wall_s": round(wall, 3), "results": results, "kat": kats, "features": features,
           "impl": impl, "kat_failed": bool(failed)}
    reason = None
    if p.returncode < 0:
        try:
            reason = f"killed by {signal.Signals(-p.returncode).name}"
        except ValueError:
            reason = f"killed by signal {-p.returncode}"
        if p.returncode == -signal.SIGILL:
            reason += " (illegal instruction)"
    elif p.returncode == 121:
        reason = "exit 121: the CPU or engine lacks an instruction the build uses"
    elif p.returncode == 122:
        reason = "exit 122: fault/trap"
    elif failed:
        reason = "known-answer check FAILED: " + failed[0].replace("payoff: kat ", "")[:110]
    elif bad:
        reason = bad[0]
    elif p.returncode != 0:
        reason = f"exit {p.returncode}"
    elif not results:
        reason = "no result lines"
    elif "payoff: done" not in text:
        reason = "no 'payoff: done' line"
    if reason:
        tail = [ln for ln in (text + p.stderr.decode("utf-8", "replace")).splitlines() if ln.strip()][-4:]
        out.update(ok=False, reason=reason, tail=tail)
    else:
        out["ok"] = True
    return out


# ---------------------------------------------------------------------------------------------------------- stats


def fmt_ns(v):
    if v is None:
        return "-"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_x(v):
    if v is None:
        return "n/a"
    return f"{v:.2f}x" if v < 10 else f"{v:.1f}x"


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def summarise(runs_by_target, runs):
    """Per measurement: median over runs of ns_per_op, min and max over runs, MB/s."""
    per = {}
    order = []
    for r in runs_by_target:
        if not r.get("ok"):
            continue
        for res in r["results"]:
            if res["name"] not in per:
                per[res["name"]] = []
                order.append(res["name"])
            per[res["name"]].append(res)
    stats = {}
    for name in order:
        rs = per[name]
        values = [x["ns_per_op"] for x in rs]
        med = statistics.median(values)
        if len(values) > 1:
            lo, hi, basis = min(values), max(values), "runs"
        else:
            lo, hi, basis = rs[0]["min_ns_per_op"], rs[0]["max_ns_per_op"], "batches"
        b = rs[0]["bytes"]
        stats[name] = {"bytes": b, "n": len(values), "ns_per_op_runs": values, "median_ns_per_op": med,
                       "min_ns_per_op": lo, "max_ns_per_op": hi, "spread_basis": basis,
                       "spread_pct": (hi - lo) / 2 / med * 100 if med else None,
                       "mb_per_s": b / med * 1e3 if b and med else None}
    return order, stats


# ---------------------------------------------------------------------------------------------------------- SVG


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def chart(path, host, kernels, chart_targets, primary, speed, status_text, native, beyond, subtitle):
    """Horizontal bars of speedup vs x86_64-v1 on a log scale, one group per kernel's primary measurement."""
    values = [v for k in kernels for t in chart_targets if (v := speed.get((k, t))) is not None]
    lo = min(values + [1.0])
    hi = max(values + [1.0])
    ticks_all = [m * 10 ** e for e in range(-3, 4) for m in (1, 2, 5)]
    lo_t = max([t for t in ticks_all if t <= lo / 1.05] or [ticks_all[0]])
    hi_t = min([t for t in ticks_all if t >= hi * 1.12] or [ticks_all[-1]])
    ticks = [t for t in ticks_all if lo_t <= t <= hi_t]
    colour = {"wasm32-mvp": "#f4a259", "wasm32-simd128": "#d9822b", "x86_64-v1": "#9aa5b1",
              "x86_64-v2": "#7fa7d6", "x86_64-v3": "#4a7fc1", "x86_64-v4": "#27548f"}
    W = 1000
    label_w, right_pad = 250, 70
    x0, x1 = label_w, W - right_pad
    bar_h, gap, group_pad = 18, 4, 34
    top = 108

    def X(v):
        return x0 + (math.log(v) - math.log(lo_t)) / (math.log(hi_t) - math.log(lo_t)) * (x1 - x0)

    body = []
    y = top
    for k in kernels:
        body.append(f'<text x="12" y="{y + 14}"><tspan class="group">{esc(k)}</tspan>'
                    f'<tspan class="meas" dx="10">{esc(primary.get(k) or "no measurement")}</tspan></text>')
        y += 22
        for t in chart_targets:
            label = t + (" (native answer)" if t == native else "") + (" +" if t in beyond else "")
            body.append(f'<text x="{x0 - 8}" y="{y + 13}" class="lab" text-anchor="end">{esc(label)}</text>')
            v = speed.get((k, t))
            if v is None:
                body.append(f'<text x="{X(1.0) + 6}" y="{y + 13}" class="na">{esc(status_text.get((k, t), "n/a"))}'
                            f'</text>')
            else:
                a, b = sorted((X(1.0), X(v)))
                fill = colour.get(t, "#2e9e5b" if t == native else "#8e6cc0")
                body.append(f'<rect x="{a:.1f}" y="{y}" width="{max(b - a, 1.5):.1f}" height="{bar_h}" '
                            f'fill="{fill}" rx="2"/>')
                # a slowdown's bar goes left of the 1x line: its value goes right of it, clear of the labels
                body.append(f'<text x="{(b if v >= 1 else X(1.0)) + 5:.1f}" y="{y + 13}" class="val">{fmt_x(v)}'
                            f'</text>')
            y += bar_h + gap
        y += group_pad - gap
    bottom = y
    grid = []
    for t in ticks:
        cls = "one" if t == 1 else "grid"
        grid.append(f'<line x1="{X(t):.1f}" y1="{top - 6}" x2="{X(t):.1f}" y2="{bottom - 20}" class="{cls}"/>')
        lab = f"{t:g}x"
        grid.append(f'<text x="{X(t):.1f}" y="{top - 12}" class="tick" text-anchor="middle">{lab}</text>')
        grid.append(f'<text x="{X(t):.1f}" y="{bottom - 4}" class="tick" text-anchor="middle">{lab}</text>')
    H = bottom + 40
    title = f"Tailor payoff: speedup over x86_64-v1 on {host['model_name']} (family {host['family']} model " \
            f"{host['model']}), {host['date'][:10]}"
    svg = f'''<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
<style>
  .title {{ font-size: 19px; font-weight: bold; fill: #1f2933; }}
  .sub {{ font-size: 13px; fill: #52606d; }}
  .group {{ font-size: 15px; font-weight: bold; fill: #1f2933; }}
  .meas {{ font-size: 13px; fill: #52606d; }}
  .lab {{ font-size: 13px; fill: #323f4b; }}
  .val {{ font-size: 13px; font-weight: bold; fill: #1f2933; }}
  .na {{ font-size: 12px; font-style: italic; fill: #a61b1b; }}
  .tick {{ font-size: 12px; fill: #52606d; }}
  .grid {{ stroke: #d9dee3; stroke-width: 1; }}
  .one {{ stroke: #1f2933; stroke-width: 2; }}
</style>
<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>
<text x="12" y="30" class="title">{esc(title)}</text>
<text x="12" y="52" class="sub">{esc(subtitle[0])}</text>
<text x="12" y="70" class="sub">{esc(subtitle[1])}</text>
{chr(10).join(grid)}
{chr(10).join(body)}
</svg>
'''
    with open(path, "w") as f:
        f.write(svg)


# ---------------------------------------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--beyond", type=int, default=1)
    ap.add_argument("--budget-ms", type=int, default=0)
    ap.add_argument("--kernels", default="")
    args = ap.parse_args()
    with open(args.token_file) as f:
        api = Api(args.port, f.read().strip())
    os.makedirs(args.out, exist_ok=True)
    report = []

    def say(line=""):
        report.append(line)
        print(line, flush=True)

    cpuinfo_text, first = read_cpuinfo()
    host = host_info(first, args.runs, args.budget_ms)
    sel = choose_targets(api, cpuinfo_text, bool(args.beyond))
    native = sel["native"]
    plan = sel["plan"]
    catalog = sel["catalog"]
    host_has_sha = "sha_ni" in host["flags_present"]

    say("== Tailor payoff benchmark")
    say(f"host:    {host['model_name']} ({host['vendor']}, family {host['family']} model {host['model']} "
        f"stepping {host['stepping']}), {host['cpus']} CPUs, load average {host['loadavg_at_start']} at start")
    say(f"flags:   present: {' '.join(host['flags_present']) or '-'}; absent: {' '.join(host['flags_absent']) or '-'}")
    say(f"kernel:  Linux {host['kernel']}; clang: {host['clang']}; node: {host['node']}")
    say(f"runs:    {args.runs} of every build, order alternating between rounds; measuring budget "
        f"{host['budget_ms']} ms per measurement" + (" (OVERRIDDEN with BUDGET_MS: a development run, not a real "
                                                       "result)" if args.budget_ms else " (the kernels' default)"))
    say(f"tailor:  native answer for this host: {native}; level answer: {sel['level_answer']}; x86-64 levels its "
        f"cpuinfo flags allow: {', '.join(sel['runnable_levels']) or '-'}")
    for reason in sel["native_reasons"]:
        if reason.startswith(("level:", "native:")):
            say(f"         ({reason})")
    if sel["nearest_note"]:
        say(f"note:    {sel['nearest_note']}; " + (
            "the bench also times the targets beyond the flags (marked +), never as the native answer"
            if args.beyond else "BEYOND=0: targets beyond the flags are not timed"))
    say("")

    kernels = kernels_available(args.kernels)
    if not kernels:
        raise SystemExit("payoff: no kernels (directories with a tailor.yaml) in examples/payoff")
    say(f"kernels: {' '.join(kernels)}")
    say(f"targets: {' '.join(p['target'] + ('+' if 'beyond cpuinfo' in p['roles'] else '') for p in plan)}")

    # pack, upload, build (a few at a time: the service runs two builds per architecture)
    digests, builds = {}, {}
    jobs = []
    for k in kernels:
        try:
            digests[k] = upload(api, k, pack(k, args.work, args.budget_ms))
        except Exception as e:  # noqa: BLE001 - reported, the others go on
            digests[k] = None
            for p in plan:
                builds[(k, p["target"])] = {"status": "failed", "error": f"bundle: {e}"}
            continue
        for p in plan:
            jobs.append((k, p))
    log(f"payoff: building {len(jobs)} (kernel, target) pairs ...")
    t0 = time.time()
    lock = threading.Lock()
    done = [0]

    def do(job):
        k, p = job
        try:
            r = build_one(api, digests[k], p["target"], p["flavor"], args.work, k)
        except Exception as e:  # noqa: BLE001
            r = {"status": "failed", "error": f"{type(e).__name__}: {e}"}
        with lock:
            builds[(k, p["target"])] = r
            done[0] += 1
            if r["status"] != "succeeded":
                log(f"payoff: build {k} {p['target']} failed: {r.get('error')}")
            if done[0] % 10 == 0:
                log(f"payoff: {done[0]}/{len(jobs)} builds done")

    with ThreadPoolExecutor(max_workers=6) as ex:
        list(ex.map(do, jobs))
    log(f"payoff: builds took {time.time() - t0:.0f} s")

    # what runs natively, what does not
    status = {}  # (k, t) -> "failed: ..." / "not run: ..."
    kat_failures = []
    exec32 = None  # True/False once tried
    qemu_checks = {}
    for k in kernels:
        for p in plan:
            key = (k, p["target"])
            b = builds[key]
            if b["status"] != "succeeded":
                status[key] = "failed: build " + (b.get("error") or b["status"])
    for k in kernels:
        for t in I686_TARGETS:
            key = (k, t)
            if key in status or key not in builds:
                continue
            if exec32 is None:
                r = run_once([builds[key]["path"]])
                exec32 = not (r.get("errno") in (errno.ENOEXEC, errno.ENOENT, errno.EACCES) or
                              str(r.get("reason", "")).startswith("cannot exec"))
                host["exec_32bit"] = exec32
                if not exec32:
                    host["exec_32bit_error"] = r.get("reason")
            if not exec32:
                status[key] = NOT_RUN_32BIT
                if shutil.which("qemu-i386"):  # correctness only, under emulation: never timed
                    env = dict(os.environ, TAILOR_UNCONFINED="1")  # qemu-user cannot install the seccomp filter
                    r = run_once(["qemu-i386", builds[key]["path"]], env)
                    qemu_checks[key] = {"ok": r.get("ok"), "reason": r.get("reason"), "kat": r.get("kat"),
                                        "impl": r.get("impl")}
                    if r.get("kat_failed"):
                        kat_failures.append(f"{k} {t} under qemu-i386: {r.get('reason')}")

    runnable = [(k, p["target"]) for k in kernels for p in plan if (k, p["target"]) not in status]
    raw = {key: [] for key in runnable}
    failed_at = {}
    log(f"payoff: {args.runs} rounds of {len(runnable)} runs ...")
    for rnd in range(args.runs):
        order = runnable if rnd % 2 == 0 else list(reversed(runnable))
        for key in order:
            if key in failed_at:
                continue
            r = run_once(command_for({"target": key[1], "path": builds[key]["path"]}))
            r["round"] = rnd + 1
            raw[key].append(r)
            if not r["ok"]:
                failed_at[key] = rnd + 1
                if r.get("kat_failed"):
                    kat_failures.append(f"{key[0]} {key[1]} run {rnd + 1}: {r['reason']}")
                log(f"payoff: {key[0]} {key[1]} run {rnd + 1} failed: {r['reason']}")
        log(f"payoff: round {rnd + 1}/{args.runs} done")
    with open("/proc/loadavg") as f:
        host["loadavg_at_end"] = " ".join(f.read().split()[:3])
    for key in failed_at:
        r = raw[key][-1]
        status[key] = f"failed: {r['reason']}" + (f" (run {failed_at[key]} of {args.runs})" if args.runs > 1 else "")

    # statistics
    stats, meas_order, impl, features = {}, {}, {}, {}
    for k in kernels:
        meas_order[k] = []
        for p in plan:
            key = (k, p["target"])
            if key in status or not raw.get(key):
                continue
            order, st = summarise(raw[key], args.runs)
            stats[key] = st
            for name in order:
                if name not in meas_order[k]:
                    meas_order[k].append(name)
            impl[key] = "; ".join(raw[key][0].get("impl") or [])
            features[key] = raw[key][0].get("features")

    def ns(k, m, t):
        s = stats.get((k, t), {}).get(m)
        return s["median_ns_per_op"] if s else None

    def ratio(k, m, t, ref):
        a, b = ns(k, m, ref), ns(k, m, t)
        return a / b if a and b else None

    primary = {}
    for k in kernels:
        want = PRIMARY.get(k)
        primary[k] = want if want in meas_order[k] else (meas_order[k][0] if meas_order[k] else None)

    # tables
    say("")
    cols = ["target", "ns/op (median)", "spread min-max", "+-%", "MB/s", "vs x86_64-v1", f"vs {WASM_REF}", "code"]

    def label(p):
        t = p["target"]
        tags = []
        if t == native:
            tags.append("native")
        if "beyond cpuinfo" in p["roles"]:
            tags.append("+")
        return t + (" (" + ", ".join(tags) + ")" if tags else "")

    for k in kernels:
        names = meas_order[k] or ["(no measurement)"]
        for m in names:
            rows = []
            for p in plan:
                t = p["target"]
                key = (k, t)
                if key in status:
                    rows.append([label(p), status[key]])
                    continue
                s = stats[key].get(m)
                if not s:
                    rows.append([label(p), "failed: no result line for this measurement"])
                    continue
                rows.append([label(p), fmt_ns(s["median_ns_per_op"]),
                             f"{fmt_ns(s['min_ns_per_op'])}-{fmt_ns(s['max_ns_per_op'])}"
                             + ("*" if s["spread_basis"] == "batches" else ""),
                             f"{s['spread_pct']:.1f}%", f"{s['mb_per_s']:,.0f}" if s["mb_per_s"] else "-",
                             fmt_x(ratio(k, m, t, BASELINE)), fmt_x(ratio(k, m, t, WASM_REF)), impl.get(key, "")])
            widths = [max([len(cols[i])] + [len(r[i]) for r in rows if len(r) > 2]) for i in range(len(cols) - 1)]
            title = f"-- {k}: {m}" + (" (primary)" if m == primary[k] else "")
            say(title)
            say(" | ".join(c.ljust(widths[i]) if i < len(widths) else c for i, c in enumerate(cols)))
            say("-+-".join("-" * w for w in widths) + "-+-" + "-" * 20)
            for r in rows:
                if len(r) == 2:
                    say(r[0].ljust(widths[0]) + " | " + r[1])
                else:
                    say(" | ".join(c.rjust(widths[i]) if 0 < i < len(widths) else
                                   (c.ljust(widths[i]) if i < len(widths) else c) for i, c in enumerate(r)))
            say("")
    if args.runs == 1:
        say("* one run: the spread is the fastest and slowest timed batch within it")
    say(f"spread: the fastest and slowest run's ns/op; +-%: half that range over the median; load average at the "
        f"end {host['loadavg_at_end']} ({host['cpus']} CPUs)")
    if qemu_checks:
        ok = [f"{k} {t}" for (k, t), q in qemu_checks.items() if q["ok"]]
        bad = [f"{k} {t}: {q['reason']}" for (k, t), q in qemu_checks.items() if not q["ok"]]
        say(f"i686: {NOT_RUN_32BIT} ({host.get('exec_32bit_error')}); checked once under qemu-i386 "
            f"(emulated, correctness only, never timed): {len(ok)} passed their known answers"
            + (f"; FAILED: {'; '.join(bad)}" if bad else ""))
        say("")

    # summary
    crypto = [k for k in kernels if k != CONTROL]
    tuned = [native]
    if sel["best_level"] != native:
        tuned.append(sel["best_level"])
    beyond_levels = [p["target"] for p in plan if "beyond cpuinfo" in p["roles"] and p["target"] in sel["levels"]]
    for t in beyond_levels[-1:] + ([sel["nearest_named"]] if sel["nearest_named"] else []):
        if t not in tuned:
            tuned.append(t)

    def describe(t):
        p = next((p for p in plan if p["target"] == t), None)
        bits = []
        if t == native:
            bits.append("the native answer")
        if t == sel["best_level"]:
            bits.append("the best level the flags allow")
        if p and "nearest named" in p["roles"]:
            bits.append("nearest named microarchitecture")
        if p and "beyond cpuinfo" in p["roles"]:
            bits.append("beyond cpuinfo: lacks " + ", ".join(p["missing"]))
        return f"{t} ({'; '.join(bits)})"

    summary = {}
    for t in tuned:
        per_k = {k: {"measurement": primary[k], "vs_v1": ratio(k, primary[k], t, BASELINE) if primary[k] else None,
                     f"vs_{WASM_REF}": ratio(k, primary[k], t, WASM_REF) if primary[k] else None} for k in kernels}
        g1 = geomean([per_k[k]["vs_v1"] for k in crypto])
        gw = geomean([per_k[k][f"vs_{WASM_REF}"] for k in crypto])
        n1 = sum(1 for k in crypto if per_k[k]["vs_v1"])
        nw = sum(1 for k in crypto if per_k[k][f"vs_{WASM_REF}"])
        summary[t] = {"per_kernel": per_k, "geomean_vs_v1": g1, f"geomean_vs_{WASM_REF}": gw,
                      "kernels_vs_v1": n1, f"kernels_vs_{WASM_REF}": nw, "of": len(crypto), "describe": describe(t)}

    say("== Summary: speedup of the tuned builds on each kernel's primary measurement")
    head = ["kernel", "measurement"] + tuned
    rows = []
    for k in kernels:
        rows.append([k, primary[k] or "-"] + [
            f"{fmt_x(summary[t]['per_kernel'][k]['vs_v1'])} / {fmt_x(summary[t]['per_kernel'][k][f'vs_{WASM_REF}'])}"
            for t in tuned])
    rows.append(["geomean (crypto)", f"{len(crypto)} kernels"] + [
        f"{fmt_x(summary[t]['geomean_vs_v1'])} / {fmt_x(summary[t][f'geomean_vs_{WASM_REF}'])}" for t in tuned])
    widths = [max([len(head[i])] + [len(r[i]) for r in rows]) for i in range(len(head))]
    say("cells: vs x86_64-v1 / vs " + WASM_REF + "; geomean over the crypto kernels (all but control)")
    say(" | ".join(h.ljust(widths[i]) for i, h in enumerate(head)))
    say("-+-".join("-" * w for w in widths))
    for r in rows:
        say(" | ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(r)))
    for t in tuned:
        s = summary[t]
        partial = ""
        if s["kernels_vs_v1"] < s["of"]:
            partial = f" (over {s['kernels_vs_v1']} of {s['of']} crypto kernels)"
        say(f"  {describe(t)}: geomean {fmt_x(s['geomean_vs_v1'])} vs x86_64-v1, "
            f"{fmt_x(s[f'geomean_vs_{WASM_REF}'])} vs {WASM_REF}{partial}")
    say("")

    # goals, measured on the native answer (and, beside it, the nearest named microarchitecture when the flags hide it)
    ctrl = None
    if CONTROL in kernels and primary.get(CONTROL):
        ctrl = ratio(CONTROL, primary[CONTROL], native, BASELINE)
    aes_k, sha_k, hs_k = "aes-gcm", "sha256", "tls13-handshake"

    def goal_values(t):
        s = summary[t]
        pk = s["per_kernel"]
        return [
            ("crypto geomean vs x86_64-v1", 3.0, s["geomean_vs_v1"] if crypto else None,
             None if crypto else "no crypto kernels"),
            ("AES-GCM vs x86_64-v1", 8.0, pk.get(aes_k, {}).get("vs_v1"), None if aes_k in kernels else
             "no aes-gcm kernel in this run"),
            ("SHA-256 vs x86_64-v1", 3.0, pk.get(sha_k, {}).get("vs_v1"),
             "host lacks SHA-NI" if not host_has_sha else (None if sha_k in kernels else "no sha256 kernel in this run")),
            ("TLS 1.3 handshake vs x86_64-v1", 1.3, pk.get(hs_k, {}).get("vs_v1"),
             None if hs_k in kernels else "no tls13-handshake kernel in this run"),
            (f"crypto geomean vs {WASM_REF}", 3.0, s[f"geomean_vs_{WASM_REF}"] if crypto else None,
             None if crypto else "no crypto kernels"),
        ]

    goal_targets = [native] + ([sel["nearest_named"]] if sel["nearest_named"] and sel["nearest_named"] in summary
                               else [])
    goals = {}
    say(f"== Goals (the native answer, {native}" + (f"; beside it {sel['nearest_named']}, which runs here but "
                                                   f"which the host's flags do not allow" if len(goal_targets) > 1
                                                   else "") + ")")
    met, unmet, unmeasured = [], [], []
    for i, (what, need, _, _) in enumerate(goal_values(native)):
        cells = []
        for t in goal_targets:
            _, _, v, why = goal_values(t)[i]
            if why:
                verdict = f"not measured ({why})"
            elif v is None:
                verdict = "not measured (a build or run failed)"
            else:
                verdict = ("MET" if v >= need else "NOT MET")
            goals.setdefault(t, []).append({"goal": what, "need": need, "measured": v, "verdict": verdict})
            cells.append(f"{t}: {fmt_x(v) if v is not None and not why else '-'} {verdict}")
        v_native = goals[native][-1]
        (met if v_native["verdict"] == "MET" else unmet if v_native["verdict"] == "NOT MET" else unmeasured).append(what)
        say(f"  {what:<32} goal >= {f'{need:g}x':<5} " + "   |   ".join(cells))
    if CONTROL in kernels:
        inside = ctrl is not None and 1 / 1.15 <= ctrl <= 1.15
        say(f"  control kernel ({primary.get(CONTROL) or 'no measurement'}), {native} vs x86_64-v1: {fmt_x(ctrl)} "
            f"(expected within 1.15x: {'yes' if inside else 'NO' if ctrl else 'not measured'})")
        goals["control"] = {"ratio": ctrl, "within_1.15x": inside}
    else:
        say("  control kernel: not measured (not in this run: no examples/payoff/control/tailor.yaml, or KERNELS)")
    say(f"Goals met by the native answer ({native}): {', '.join(met) or 'none'}.")
    say(f"Goals not met: {', '.join(unmet) or 'none'}." + (f" Not measured: {', '.join(unmeasured)}." if unmeasured
                                                          else ""))
    if len(goal_targets) > 1:
        nn = goal_targets[1]
        nmet = [g["goal"] for g in goals[nn] if g["verdict"] == "MET"]
        say(f"With {nn} (not what Tailor serves this host, see the note above) the goals met would be: "
            f"{', '.join(nmet) or 'none'}.")
    if kat_failures:
        say(f"KNOWN-ANSWER FAILURES ({len(kat_failures)}; exit status 1):")
        for f in kat_failures:
            say("  " + f)
    if args.budget_ms:
        say(f"(development run: PAYOFF_BUDGET_MS={args.budget_ms}; the numbers are not the benchmark's)")

    # JSON
    def k_t(d):
        return {f"{k} {t}": v for (k, t), v in d.items()}

    doc = {
        "host": host,
        "tailor": {key: sel[key] for key in ("native", "level_answer", "native_reasons", "next", "host_features",
                                              "levels", "runnable_levels", "best_level", "nearest_named",
                                              "nearest_note")},
        "kernels": kernels,
        "targets": plan,
        "builds": k_t({key: {x: v for x, v in b.items() if x != "path"} for key, b in builds.items()}),
        "status": k_t(status),
        "qemu_i386_checks": k_t(qemu_checks),
        "runs": k_t({key: v for key, v in raw.items()}),
        "stats": {k: {t: stats.get((k, t)) for t in [p["target"] for p in plan] if (k, t) in stats}
                  for k in kernels},
        "speedups": {k: {m: {p["target"]: {"vs_x86_64-v1": ratio(k, m, p["target"], BASELINE),
                                           f"vs_{WASM_REF}": ratio(k, m, p["target"], WASM_REF)}
                             for p in plan} for m in meas_order[k]} for k in kernels},
        "primary": primary,
        "impl": k_t(impl),
        "features": k_t(features),
        "summary": summary,
        "goals": goals,
        "kat_failures": kat_failures,
    }
    with open(os.path.join(args.out, "payoff.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")

    # SVG
    chart_targets = [t for t in WASM_TARGETS + sel["levels"] if any(p["target"] == t for p in plan)]
    for t in [native, sel["nearest_named"]]:
        if t and t not in chart_targets:
            chart_targets.append(t)
    speed = {(k, t): ratio(k, primary[k], t, BASELINE) if primary[k] else None for k in kernels for t in chart_targets}
    why = {}
    for k in kernels:
        for t in chart_targets:
            if speed[(k, t)] is None:
                s = status.get((k, t), "n/a")
                why[(k, t)] = s if len(s) < 70 else s[:67] + "..."
    marks = [p["target"] for p in plan if "beyond cpuinfo" in p["roles"] and p["target"] in chart_targets]
    sub1 = (f"native answer {native}; {args.runs} run{'s' if args.runs != 1 else ''} each, median ns/op; "
            f"Linux {host['kernel']}, {host['clang']}, node {host['node']}")
    sub2 = ("log scale; + : beyond this host's /proc/cpuinfo flags (so never Tailor's answer here), run anyway"
            if marks else "log scale; bars start at the 1x line")
    if args.budget_ms:
        sub2 += f"  [DEVELOPMENT RUN: budget {args.budget_ms} ms]"
    chart(os.path.join(args.out, "payoff.svg"), host, kernels, chart_targets, primary, speed, why, native,
          set(marks), (sub1, sub2))
    with open(os.path.join(args.out, "payoff.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    log(f"payoff: wrote {args.out}/payoff.json, payoff.svg, payoff.txt")
    return 1 if kat_failures else 0


if __name__ == "__main__":
    sys.exit(main())
