"""What the Python halves of the benchmarks share (bench/auto-ladder.py, bench/edge-boots.py, bench/payoff.py)."""
import sys


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def host_cpu():
    """The first processor block of /proc/cpuinfo, as a dict (model name, vendor_id, cpu family, ...)."""
    first = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if not line.strip():
                if first:
                    break
                continue
            k, _, v = line.partition(":")
            first.setdefault(k.strip(), v.strip())
    return first


def table(head, rows, right=()):
    """Lines of a text table: the header, a rule, the rows; columns whose index is in `right` are right-aligned."""
    widths = [max([len(head[i])] + [len(r[i]) for r in rows]) for i in range(len(head))]

    def line(cells):
        return " | ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells))
    return [line(head), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
