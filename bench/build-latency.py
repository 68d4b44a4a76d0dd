"""The measuring half of bench/build-latency.sh (which starts the service): see there."""
import argparse, http.client, io, json, os, re, shlex, shutil, statistics, subprocess, tarfile, time

p = argparse.ArgumentParser()
for name in ("port", "token", "data", "work", "target"):
    p.add_argument("--" + name, required=True)
p.add_argument("--builds", type=int, default=25)
p.add_argument("--warm", type=int, default=1000)
p.add_argument("--warm-requests", type=int, default=2000)
p.add_argument("--settle", type=int, default=5)
p.add_argument("--show-log", action="store_true")
a = p.parse_args()

HELLO = open("examples/hello/src/hello.c", "rb").read()
api = http.client.HTTPConnection("127.0.0.1", int(a.port))


def call(method, path, body=None, content_type=None):
    headers = {"Authorization": "Bearer " + a.token}
    if content_type:
        headers["Content-Type"] = content_type
    api.request(method, path, body, headers)
    r = api.getresponse()
    data = r.read()
    assert r.status in (200, 201), (r.status, data)
    return data


def upload(code):
    """A hello bundle whose EXIT_CODE define makes it a new build key; returns its digest."""
    manifest = ('name: hello\nversion: 1.0.0\nsources: [src/*.c]\noptimize: size\n'
                'defines: {EXIT_CODE: "%d"}\n' % code).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in (("tailor.yaml", manifest), ("src/hello.c", HELLO)):
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    return json.loads(call("POST", "/v1/apps/hello/bundles", out.getvalue(), "application/x-tar"))["digest"]


def build(digest):
    """Returns (milliseconds from sending the request to the end of the answer, the succeeded record)."""
    body = json.dumps({"bundle": digest, "target": a.target})
    t0 = time.perf_counter_ns()
    record = json.loads(call("POST", "/v1/builds?wait=60", body, "application/json"))
    ms = (time.perf_counter_ns() - t0) / 1e6
    assert record["status"] == "succeeded", record
    return ms, record


# Warm-up (see bench/build-latency.sh).
last = None
cold = []
for i in range(a.warm):
    digest = upload(100000 + i)
    ms, last = build(digest)
    cold.append(ms)
    if i == a.warm // 2:
        for _ in range(a.warm_requests):
            build(digest)

# The bare commands: a warm-up build's own, from its log, with the sandbox paths mapped back to host paths.
bare = os.path.join(a.work, "bare")
os.makedirs(os.path.join(bare, "src", "src"))
os.makedirs(os.path.join(bare, "out", "obj"))
shutil.copy("examples/hello/src/hello.c", os.path.join(bare, "src", "src"))
steps = []
for line in call("GET", "/v1/builds/%s/log" % last["id"]).decode().splitlines():
    if not line.startswith("$ "):
        continue
    line = line[2:].replace("/tailor/cache", os.path.join(a.data, "toolchains"))
    line = re.sub(r"(?<![\w/])/src\b", os.path.join(bare, "src"), line)
    line = re.sub(r"(?<![\w/])/out\b", os.path.join(bare, "out"), line)
    cd, argv = line.split(" && ", 1)
    steps.append((cd[len("cd "):], shlex.split(argv, comments=True)))
compiles = [s for s in steps if s[1][0] != "ld.lld"]
links = [s for s in steps if s[1][0] == "ld.lld"]
assert compiles and len(links) == 1, steps


def run_bare():
    shutil.rmtree(os.path.join(bare, "out", "obj"))
    os.makedirs(os.path.join(bare, "out", "obj"))
    t0 = time.perf_counter_ns()
    running = [subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL) for cwd, argv in compiles]
    assert all(p.wait() == 0 for p in running)
    for cwd, argv in links:
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter_ns() - t0) / 1e6


med = statistics.median
time.sleep(2)  # the JVM finishes compiling what the warm-up made hot
service, worker, plain = [], [], []
for i in range(-a.settle, a.builds):  # the first rounds settle the machine into the interleaved pattern: not kept
    ms, last = build(upload(1000 + i))
    time.sleep(0.3)
    bare_ms = run_bare()
    time.sleep(0.3)
    if i >= 0:
        service.append(ms)
        worker.append(last["durationMs"])
        plain.append(bare_ms)
assert os.path.getsize(os.path.join(bare, "out", "image.elf")) > 0

fmt = lambda xs: " ".join("%.0f" % x for x in xs)
print("target %s, %d fresh hello builds (after %d warm-up builds and %d rounds not kept)"
      % (a.target, a.builds, a.warm, a.settle))
if len(cold) >= 10:
    print("just after the start: the first build (it also compiles the runtime) %.0f ms, builds 2-10 median %.0f ms"
          % (cold[0], med(cold[1:10])))
print("POST /v1/builds -> succeeded: median %.1f ms   (all: %s)" % (med(service), fmt(service)))
print("  worker, start to linked image (the record's durationMs): median %.1f ms; the service beyond it: median %.1f ms" % (med(worker), med([s - w for s, w in zip(service, worker)])))
print("bare clang + ld.lld:          median %.1f ms   (all: %s)" % (med(plain), fmt(plain)))
print("ratio: %.2fx (goal < 1.3x); worker alone: %.2fx" % (med(service) / med(plain), med(worker) / med(plain)))
if a.show_log:
    for line in call("GET", "/v1/builds/%s/log" % last["id"]).decode().splitlines():
        if line.startswith("# ") or re.search(r"  # \d+ ms$", line):
            print(line)
