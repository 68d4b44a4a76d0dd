#!/usr/bin/env python3
"""Generates the "kind": "native" entries of compiler-workers/targets.json from archspec's microarchitectures.json
(compiler-workers/archspec/, Apache-2.0 OR MIT, see the license files there) and checks every flag set with the
clang on this machine. The level entries above them are left byte-for-byte as they are.

    python3 tools/native-targets.py            # rewrite the native entries
    python3 tools/native-targets.py --check    # exit 1 if targets.json differs from what would be generated

NativeCatalogTest checks the result against archspec's file on every build.
"""
import json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHSPEC = os.path.join(ROOT, "compiler-workers/archspec/microarchitectures.json")
TARGETS = os.path.join(ROOT, "compiler-workers/targets.json")
CLANG = (14, 0, 6)
# kernel services, not instructions: old kernels hide them and a unikernel does not need them
NOT_ISA = {"cpuid", "evtstrm"}
X86_ALIASES = {"pni": "sse3"}

X86_FLAG = {"sha_ni": "-msha", "pclmulqdq": "-mpclmul", "rdrand": "-mrdrnd", "lahf_lm": "-msahf", "abm": "-mlzcnt",
            "bmi1": "-mbmi", "sse4_1": "-msse4.1", "sse4_2": "-msse4.2", "amx_fp16": "-mamx-fp16",
            "amx_tile": "-mamx-tile", "amx_int8": "-mamx-int8", "amx_bf16": "-mamx-bf16"}
ARM_EXT = {"sveaes": "sve2-aes", "svepmull": "sve2-aes", "svebitperm": "sve2-bitperm", "svesha3": "sve2-sha3",
           "svesm4": "sve2-sm4", "sha3": "sha3", "sha512": "sha3", "sm3": "sm4", "sm4": "sm4", "rng": "rng",
           "i8mm": "i8mm", "bf16": "bf16", "fphp": "fp16", "asimdhp": "fp16", "asimdfhm": "fp16fml",
           "asimddp": "dotprod", "lrcpc": "rcpc", "atomics": "lse", "crc32": "crc", "aes": "aes", "pmull": "aes",
           "sha1": "sha2", "sha2": "sha2", "sve": "sve", "sve2": "sve2", "flagm": "flagm", "sb": "sb",
           "ssbs": "ssbs", "mte": "memtag", "svef32mm": "f32mm", "svef64mm": "f64mm", "svei8mm": "i8mm",
           "svebf16": "bf16", "paca": "pauth", "pacg": "pauth", "wfxt": "wfxt", "ilrcpc": "rcpc-immo",
           "dgh": None, "bti": None, "ecv": None, "afp": None, "dit": None, "uscat": None, "dcpop": None,
           "dcpodp": None, "flagm2": None, "frint": None, "jscvt": None, "fcma": None, "asimdrdm": "rdm",
           "fp": None, "asimd": None}


def version(s):
    return tuple(int(x) for x in s.split(".") if x != "")


def satisfies(spec):
    lo, _, hi = spec.partition(":")
    if lo and CLANG[:len(version(lo))] < version(lo):
        return False
    if hi and CLANG[:len(version(hi))] > version(hi):
        return False
    return True


TRIPLES = {"x86_64": "x86_64-unknown-none-elf", "aarch64": "aarch64-none-elf", "riscv64": "riscv64-unknown-elf"}


def clang_ok(arch, flags):
    triple = TRIPLES[arch]
    r = subprocess.run(["clang", "--target=" + triple, *flags, "-c", "-x", "c", "/dev/null", "-o", "/dev/null"],
                       capture_output=True)
    return r.returncode == 0


def family(d, n):
    while d[n]["from"]:
        n = d[n]["from"][0]
    return n


def ancestors(d, n):
    out, todo = [], list(d[n]["from"])
    while todo:
        a = todo.pop(0)
        if a not in out:
            out.append(a)
            todo.extend(d[a]["from"])
    return out


def level_id(arch, generic):
    if arch == "x86_64":
        return "x86_64-v1" if generic == "x86_64" else generic.replace("x86_64_v", "x86_64-v")
    if arch == "riscv64" and generic == "riscv64":
        return "riscv64-rva20"  # archspec's riscv64 is RV64GC
    return None


def main():
    check = "--check" in sys.argv
    d = json.load(open(ARCHSPEC))["microarchitectures"]
    with open(TARGETS) as f:
        text = f.read()
    catalog = json.loads(text)["targets"]
    levels = [t for t in catalog if t["kind"] == "level"]
    full = {}
    for t in levels:
        feats = set(t["adds"])
        if t["parent"]:
            feats |= full[t["parent"]]
        full[t["id"]] = feats

    entries, problems = [], []
    names = [n for n in d if family(d, n) in ("x86_64", "aarch64", "riscv64") and d[n]["vendor"] != "generic"]
    done = set()
    while len(done) < len(names):  # archspec lists parents first, but do not rely on it
        for n in names:
            if n in done or any(a in names and a not in done for a in d[n]["from"]):
                continue
            done.add(n)
            arch = family(d, n)
            u = d[n]
            feats = {X86_ALIASES.get(x, x) for x in u["features"]} - NOT_ISA
            if arch in ("x86_64", "riscv64"):
                # archspec leaves the generic ancestor's baseline implicit (its riscv64 cores list no features)
                generics = [a for a in ancestors(d, n) if d[a]["vendor"] == "generic"]
                deepest = max(generics, key=lambda g: len(ancestors(d, g)))
                feats |= full[level_id(arch, deepest)]
            tid = arch + "-" + n
            # parent: the largest subset among the level rungs and archspec ancestors already in the catalog
            cands = [t["id"] for t in levels if t["arch"] == arch]
            cands += [arch + "-" + a for a in ancestors(d, n) if arch + "-" + a in full]
            subsets = [c for c in cands if full[c] <= feats]
            if not subsets:
                problems.append(n + ": no parent in the catalog is a subset")
                continue
            parent = max(subsets, key=lambda c: (len(full[c]), c.startswith(arch + "-v")))
            full[tid] = feats
            cflags, note = flags_for(d, n, arch, feats, full)
            if not clang_ok(arch, cflags):
                problems.append(n + ": clang rejects " + " ".join(cflags))
            vendor = u["vendor"] + (", CPU part " + u["cpupart"] if u.get("cpupart", "") not in ("", "Unknown") else "")
            entries.append({"id": tid, "arch": arch, "parent": parent, "kind": "native",
                            "adds": sorted(feats - full[parent]), "cflags": cflags,
                            "description": "archspec " + n + " (" + vendor + ")" + note, "qemu": None})
    if problems:
        sys.exit("\n".join(problems))

    def render(e):
        return ('    {"id": %s, "arch": %s, "parent": %s, "kind": "native",\n     "adds": %s,\n'
                '     "cflags": %s,\n     "description": %s,\n     "qemu": null}') % (
            json.dumps(e["id"]), json.dumps(e["arch"]), json.dumps(e["parent"]), json.dumps(e["adds"]),
            json.dumps(e["cflags"]), json.dumps(e["description"]))

    cut = text.find('\n\n    {"id": "x86_64-nocona"') if '"kind": "native"' in text else None
    head = text[:cut] if cut is not None and cut >= 0 else text[:text.rstrip().rstrip("}").rstrip().rstrip("]").rstrip().rfind("}") + 1]
    new = head + ",\n\n" + ",\n".join(render(e) for e in entries) + "\n  ]\n}\n" if cut is None or cut < 0 else \
        head + "\n\n" + ",\n".join(render(e) for e in entries) + "\n  ]\n}\n"
    if check:
        sys.exit(0 if new == text else "targets.json is not what tools/native-targets.py generates")
    with open(TARGETS, "w") as f:
        f.write(new)
    print("%d native targets written" % len(entries))


def flags_for(d, n, arch, feats, full):
    """archspec's newest clang entry that clang 14 satisfies; else the nearest ancestor's plus the feature flags
    clang 14 accepts."""
    def entry(name):
        ok = [c for c in d[name]["compilers"].get("clang", []) if satisfies(c["versions"])]
        return ok[-1] if ok else None

    def render(name, c):
        return c["flags"].replace("{name}", c.get("name") or name).split()

    all_entries = d[n]["compilers"].get("clang", [])
    c = entry(n)
    if c is not None:
        flags = render(n, c)
        newer = [x for x in all_entries if x["versions"].partition(":")[0]
                 and version(x["versions"].partition(":")[0]) > CLANG[:len(version(x["versions"].partition(":")[0]))]]
        if newer:
            return flags, ("; clang 14 does not know this name (clang %s and later do): archspec's flags for "
                           "clang 14" % newer[-1]["versions"].partition(":")[0])
        return flags, ""
    for a in ancestors(d, n):
        if d[a]["vendor"] == "generic" and arch == "aarch64" and a != "aarch64":
            continue
        ca = entry(a)
        if ca is None:
            continue
        base = render(a, ca)
        a_feats = full.get(arch + "-" + a) or (full[level_id(arch, a)] if arch == "riscv64" else
                                               {X86_ALIASES.get(x, x) for x in d[a]["features"]})
        extra = sorted(feats - a_feats - NOT_ISA)
        accepted, rejected = [], []
        for x in extra:
            if arch == "x86_64":
                flag = X86_FLAG.get(x, "-m" + x.replace("_", ""))
                if flag not in accepted and clang_ok(arch, base + accepted + [flag]):
                    accepted.append(flag)
                elif flag not in accepted:
                    rejected.append(x)
            else:
                ext = ARM_EXT.get(x)
                if ext is not None and any(f.endswith("+" + ext) or ("+" + ext + "+") in f for f in accepted + base):
                    continue
                if ext is None:
                    rejected.append(x)
                    continue
                cur = accepted[-1] if accepted else None
                tried = (cur or base[0]) + "+" + ext if base[0].startswith("-march") else None
                if tried and clang_ok(arch, [tried] + base[1:]):
                    accepted = [tried]
                elif base[0].startswith("-mcpu") and clang_ok(arch, [base[0] + "+" + ext]):
                    base = [base[0] + "+" + ext] + base[1:]
                else:
                    rejected.append(x)
        flags = accepted + base[1:] if arch == "aarch64" and accepted else base + accepted
        note = ("; clang 14 does not know %s: compiled as archspec's ancestor %s" % (n, a))
        if accepted or base != render(a, ca):
            note += " plus the extensions clang 14 accepts"
        if rejected:
            note += "; not used by the compiler (clang 14 has no flag): " + ", ".join(rejected)
        return flags, note
    raise SystemExit(n + ": no ancestor clang 14 knows")


if __name__ == "__main__":
    main()
