#!/usr/bin/env python3
"""The scale suite: the large hostile inputs of the robustness review, built here, with time and memory bounds.

    python benchmarks/scale.py            # full size (a few minutes); exit 1 when a bound is broken
    python benchmarks/scale.py --quick    # tiny sizes: proves the script and the CLI work, no bound on time

Why a script and not unit tests: CPU time and peak RSS depend on the machine, so they are measured on a child
process (``os.wait4`` gives its user+system time; its peak RSS is its own VmHWM, see :data:`HWM`) and judged by
*ratios* (doubling N must cost about 2x, not 4x) and by absolute memory bounds (64 MiB for a capture of any length,
a hostile record no more than a few MiB above the start-up baseline). Every input is written through
``nl80211dec.testing.writers`` (the Construct schemas), as ``../shared/robustness/README.md`` ("Large inputs")
describes them:

F3  flow + N commits, each followed by a FRAME_TX_STATUS of the same frame (``--sae``): linear
F4  flow + N commits, no TX status (``--json``): flat memory (the SAE frames kept per attempt are capped)
F5  N messages of distinct unnamed genl ids (``--sae``): family guessing linear
F6  one GET_WIPHY record of 15 EXT_FEATURES bitmaps of 65,528 bytes (text and ``--json``): a few MiB
F7a N CONNECT requests on distinct ifindexes (``--sae``): bounded open attempts
F7c a 30 MB capture of small records piped into ``-`` (``--sae``): about the peak of the same file by path
F7d flow + K identical commits in netlink and K identical frames on the air (``--sae --air``): linear join,
    flat memory
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nl80211dec.dot11.schemas import MgmtFrame  # noqa: E402
from nl80211dec.nl80211 import enums  # noqa: E402
from nl80211dec.testing.writers import genl_message, nl_message, nlattr, pcap_bytes, sll_record  # noqa: E402

ATTR = {v: k for k, v in enums.ATTRS.items()}
CMD = {v: k for k, v in enums.COMMANDS.items()}
FAMILY = 0x1C
BSSID = bytes.fromhex("d83add60a30c")
STATION = bytes.fromhex("d83addd2ae3c")
MIB = 1 << 20
CAPTURE_BOUND = 64 * MIB  # any capture, any length
RECORD_BOUND = 8 * MIB  # one hostile record above the start-up baseline ("a few MB")
LINEAR = 2.6  # doubling N may cost at most this much (2x plus noise; quadratic is 4x)
# The child's own peak: wait4()'s ru_maxrss starts from the *parent's* high-water mark (Linux copies it at
# fork and keeps it across exec), and the parent holds the big inputs it built, so the child reads VmHWM from
# /proc/self/status as it exits (the high-water mark of its own address space, reset at exec).
HWM = """import atexit, os, sys
def _hwm():
    with open('/proc/self/status') as f, open(os.environ['SCALE_HWM'], 'w') as out:
        out.write(next(line.split()[1] for line in f if line.startswith('VmHWM:')))
atexit.register(_hwm)
from nl80211dec.cli import main
sys.argv[0] = 'nl80211dec'
raise SystemExit(main(sys.argv[1:]))
"""

Records = list[tuple[float, bytes]]


def u32(v: int) -> bytes:
    return v.to_bytes(4, "little")


def attr(name: str, value: bytes) -> bytes:
    return nlattr(ATTR[name], value)


def newfamily() -> bytes:
    """nlctrl NEWFAMILY naming id 0x1c nl80211 (what iwmon records first)."""
    return nl_message(0x10, bytes([1, 2, 0, 0]) + nlattr(1, FAMILY.to_bytes(2, "little")) + nlattr(2, b"nl80211\0"),
                      seq=1, pid=1)


def request(cmd: str, attrs: bytes, seq: int) -> bytes:
    return sll_record(genl_message(FAMILY, CMD[cmd], attrs, flags=0x5, seq=seq, pid=1000), pkttype=4)


def event(cmd: str, attrs: bytes) -> bytes:
    return sll_record(genl_message(FAMILY, CMD[cmd], attrs))


def flow() -> Records:
    """NEWFAMILY, a CONNECT request (external auth) and the firmware's EXTERNAL_AUTH start event."""
    connect = request("CONNECT", attr("IFINDEX", u32(3)) + attr("SSID", b"deskSAE")
                      + attr("EXTERNAL_AUTH_SUPPORT", b""), 2)
    start = event("EXTERNAL_AUTH", attr("IFINDEX", u32(3)) + attr("AKM_SUITES", bytes.fromhex("000fac08"))
                  + attr("EXTERNAL_AUTH_ACTION", u32(0)) + attr("BSSID", BSSID) + attr("SSID", b"deskSAE"))
    return [(0.0, sll_record(newfamily())), (0.001, connect), (0.002, start)]


def commit_frame(i: int, *, same: bool = False) -> bytes:
    """An SAE commit Authentication frame, group 19, a different 32-byte scalar each (unless ``same``)."""
    scalar = (1 if same else i + 1).to_bytes(32, "big")
    body = (19).to_bytes(2, "little") + scalar + bytes(range(64))
    return MgmtFrame.build({"header": {"frame_control": 0x00B0, "duration": 0, "addr1": BSSID, "addr2": STATION,
                                       "addr3": BSSID, "seq_ctrl": 0},
                            "body": {"algorithm": 3, "transaction": 1, "status": 0, "rest": body}})


def commits(n: int, *, tx_status: bool, same: bool = False) -> Records:
    recs = flow()
    t = 0.01
    for i in range(n):
        frame = commit_frame(i, same=same)
        recs.append((t, request("FRAME", attr("IFINDEX", u32(3)) + attr("FRAME", frame), 10 + i)))
        if tx_status:
            recs.append((t + 0.0001, event("FRAME_TX_STATUS", attr("IFINDEX", u32(3)) + attr("FRAME", frame)
                                           + attr("COOKIE", bytes(8)) + attr("ACK", b""))))
        t += 0.001
    return recs


def f3(n: int) -> bytes:
    return pcap_bytes(commits(n, tx_status=True), linktype=113)


def f4(n: int) -> bytes:
    return pcap_bytes(commits(n, tx_status=False), linktype=113)


def f5(n: int) -> bytes:
    recs = [(0.0, sll_record(newfamily()))]
    recs += [(0.001 * (i + 1), sll_record(nl_message(0x11 + i, bytes([1, 1, 0, 0])))) for i in range(n)]
    return pcap_bytes(recs, linktype=113)


def f6(n: int) -> bytes:
    wiphy = genl_message(FAMILY, CMD["GET_WIPHY"], b"".join(attr("EXT_FEATURES", b"\xff" * 65528)
                                                            for _ in range(n)), seq=2, pid=1)
    return pcap_bytes([(0.0, sll_record(newfamily())), (0.1, sll_record(wiphy))], linktype=113,
                      snaplen=0xFFFFFFFF)


def f7a(n: int) -> bytes:
    recs = [(0.0, sll_record(newfamily()))]
    recs += [(0.001 * (i + 1), request("CONNECT", attr("IFINDEX", u32(1000 + i)) + attr("SSID", b"deskSAE"), i + 2))
             for i in range(n)]
    return pcap_bytes(recs, linktype=113)


def f7c(size: int) -> bytes:
    """About ``size`` bytes of small records (a flow, then station polls)."""
    recs = flow()
    one = request("GET_STATION", attr("IFINDEX", u32(3)) + attr("MAC", BSSID), 0)
    per = 16 + len(one)
    for i in range(max(1, size // per)):
        recs.append((0.01 + 0.001 * i, one))
    return pcap_bytes(recs, linktype=113)


def f7d(k: int) -> tuple[bytes, bytes]:
    """K identical commits in netlink, and the same frame K times on the air (8-byte radiotap header)."""
    net = pcap_bytes(commits(k, tx_status=False, same=True), linktype=113)
    radiotap = bytes([0, 0, 8, 0, 0, 0, 0, 0])
    frame = commit_frame(0, same=True)
    air = pcap_bytes([(0.0105 + 0.001 * i, radiotap + frame) for i in range(k)], linktype=127)
    return net, air


@dataclass
class Run:
    """One child process: what it was, and what it cost."""

    label: str
    n: int
    cpu: float
    rss: int
    status: int
    ok: bool
    why: str = ""


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class Suite:
    tmp: Path
    quick: bool
    runs: list[Run] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def path(self, name: str, data: bytes) -> Path:
        p = self.tmp / name
        p.write_bytes(data)
        return p

    def cli(self, label: str, n: int, args: Sequence[str], *, stdin_from: Path | None = None,
            best_of: int = 1) -> Run:
        """Run the CLI as a child; its CPU time and peak RSS come from wait4(), its output is checked.

        ``best_of`` runs it that many times and keeps the least CPU (and the largest peak): runs of about a
        second on a shared machine vary by more than the growth a ratio must tell apart.
        """
        runs = [self._once(label, n, args, stdin_from) for _ in range(1 if self.quick else best_of)]
        run = min(runs, key=lambda r: r.cpu)
        run.rss = max(r.rss for r in runs)
        self.runs.append(run)
        self.checks.append(Check(f"{label} N={n}: exit 0/1, no traceback, summary", all(r.ok for r in runs),
                                 next((r.why for r in runs if not r.ok), "ok")))
        return run

    def _once(self, label: str, n: int, args: Sequence[str], stdin_from: Path | None) -> Run:
        out = self.tmp / "out.txt"
        err = self.tmp / "err.txt"
        hwm = self.tmp / "hwm.txt"
        hwm.unlink(missing_ok=True)
        cmd = [sys.executable, "-c", HWM, *args]
        env = dict(os.environ, SCALE_HWM=str(hwm))
        with open(out, "wb") as fo, open(err, "wb") as fe:
            cat = None
            if stdin_from is not None:  # a real pipe, as `cat f | nl80211dec -` gives
                cat = subprocess.Popen(["cat", str(stdin_from)], stdout=subprocess.PIPE)
                child = subprocess.Popen(cmd, stdin=cat.stdout, stdout=fo, stderr=fe, cwd=ROOT, env=env)
                assert cat.stdout is not None
                cat.stdout.close()
            else:
                child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe, cwd=ROOT, env=env)
            _pid, wstatus, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(wstatus)
            if cat is not None:
                cat.wait()
        status = child.returncode
        stderr = err.read_bytes()
        tail = _tail(out)
        why = ""
        if status not in (0, 1):
            why = f"exit {status}: {stderr[-300:].decode(errors='replace')}"
        elif b"Traceback" in stderr:
            why = "traceback: " + stderr[-300:].decode(errors="replace")
        elif b"Summary:" not in tail and b'"kind":"summary"' not in tail:
            why = "no summary at the end of the output"
        rss = int(hwm.read_text()) * 1024 if hwm.exists() else usage.ru_maxrss * 1024
        return Run(label, n, usage.ru_utime + usage.ru_stime, rss, status, not why, why)

    def bound(self, name: str, value: float, limit: float, unit: str = "MiB") -> None:
        scale = MIB if unit == "MiB" else 1
        self.checks.append(Check(name, value <= limit, f"{value / scale:.1f} {unit} (bound {limit / scale:.1f})"))

    def linear(self, name: str, small: Run, big: Run, factor: float, base_cpu: float) -> None:
        """CPU above start-up grows with N like N (quadratic would be factor**2); skipped in --quick."""
        a, b = max(small.cpu - base_cpu, 0.05), max(big.cpu - base_cpu, 0.05)
        ratio = b / a
        limit = LINEAR if factor == 2 else factor * LINEAR / 2
        if self.quick:
            self.checks.append(Check(name, True, f"ratio {ratio:.2f} (not judged in --quick)"))
        else:
            self.checks.append(Check(name, ratio <= limit, f"ratio {ratio:.2f} for {factor:g}x N (bound {limit:.1f})"))


def _tail(path: Path, size: int = 4096) -> bytes:
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - size))
        return f.read()


def run_suite(quick: bool) -> Suite:
    s = Suite(Path(tempfile.mkdtemp(prefix="nl80211dec-scale-")), quick)

    def q(full: int, small: int) -> int:
        return small if quick else full

    base_path = s.path("base.pcap", pcap_bytes(flow(), linktype=113))
    base = s.cli("baseline (flow only) --sae", 0, ["--sae", str(base_path)], best_of=3)
    base_json = s.cli("baseline (flow only) --json", 0, ["--json", str(base_path)])

    n3 = q(10_000, 200)
    r3 = [s.cli("F3 commits+TX status --sae", n, ["--sae", str(s.path(f"f3-{n}.pcap", f3(n)))], best_of=3)
          for n in (n3, 2 * n3)]
    s.linear("F3 TX-status matching linear", r3[0], r3[1], 2, base.cpu)

    n4 = q(10_000, 200)
    r4 = [s.cli("F4 commits --json", n, ["--json", str(s.path(f"f4-{n}.pcap", f4(n)))]) for n in (n4, 10 * n4)]
    s.bound(f"F4 RSS at N={10 * n4} <= 64 MiB", r4[1].rss, CAPTURE_BOUND)
    s.bound(f"F4 RSS growth {n4}->{10 * n4} <= 8 MiB", r4[1].rss - r4[0].rss, RECORD_BOUND)

    n5 = q(30_000, 300)  # ids are 16 bits: 0x11 + 60,000 still fits
    r5 = [s.cli("F5 distinct unnamed ids --sae", n, ["--sae", str(s.path(f"f5-{n}.pcap", f5(n)))],
                best_of=3)
          for n in (n5, 2 * n5)]
    s.linear("F5 family guessing linear", r5[0], r5[1], 2, base.cpu)
    s.bound(f"F5 RSS at N={2 * n5} <= 64 MiB", r5[1].rss, CAPTURE_BOUND)

    n6 = q(15, 2)
    p6 = s.path("f6.pcap", f6(n6))
    r6t = s.cli("F6 1 MiB bitmap record (text)", n6, [str(p6)])
    r6j = s.cli("F6 1 MiB bitmap record --json", n6, ["--json", str(p6)])
    r6v = s.cli("F6 1 MiB bitmap record -V", n6, ["-V", str(p6)])
    s.bound("F6 text: RSS above baseline <= 8 MiB", r6t.rss - base.rss, RECORD_BOUND)
    s.bound("F6 --json: RSS above baseline <= 8 MiB", r6j.rss - base_json.rss, RECORD_BOUND)
    s.bound("F6 -V: RSS above baseline <= 8 MiB", r6v.rss - base.rss, RECORD_BOUND)

    n7 = q(100_000, 300)
    r7 = [s.cli("F7a CONNECTs on distinct ifindexes --sae", n, ["--sae", str(s.path(f"f7a-{n}.pcap", f7a(n)))])
          for n in (n7, 2 * n7)]
    s.bound(f"F7a RSS at N={2 * n7} <= 64 MiB", r7[1].rss, CAPTURE_BOUND)
    s.linear("F7a open attempts linear", r7[0], r7[1], 2, base.cpu)

    size = q(30 * MIB, 200_000)
    p7c = s.path("f7c.pcap", f7c(size))
    by_path = s.cli("F7c small records by path --sae", size, ["--sae", str(p7c)])
    piped = s.cli("F7c small records piped --sae", size, ["--sae", "-"], stdin_from=p7c)
    s.bound("F7c piped RSS <= by-path RSS + 8 MiB", piped.rss - by_path.rss, RECORD_BOUND)
    s.bound("F7c piped RSS <= 64 MiB", piped.rss, CAPTURE_BOUND)

    k = q(2_000, 100)
    r7d = []
    for n in (k, 4 * k):
        net, air = f7d(n)
        r7d.append(s.cli("F7d identical frames --sae --air", n, ["--sae", str(s.path(f"f7d-{n}.pcap", net)),
                                                                 "--air", str(s.path(f"f7d-{n}.air.pcap", air))],
                         best_of=3))
    s.linear("F7d air join linear", r7d[0], r7d[1], 4, base.cpu)
    s.bound(f"F7d RSS at K={4 * k} <= 64 MiB", r7d[1].rss, CAPTURE_BOUND)
    s.bound(f"F7d RSS growth K={k}->{4 * k} <= 8 MiB", r7d[1].rss - r7d[0].rss, RECORD_BOUND)
    return s


def report(s: Suite) -> int:
    print(f"{'input':46} {'N':>10} {'CPU s':>8} {'RSS MiB':>8} {'exit':>4}")
    for r in s.runs:
        print(f"{r.label:46} {r.n:>10} {r.cpu:>8.2f} {r.rss / MIB:>8.1f} {r.status:>4}")
    print()
    failed = 0
    for c in s.checks:
        failed += not c.passed
        print(f"{'PASS' if c.passed else 'FAIL'}  {c.name}: {c.detail}")
    print(f"\n{len(s.checks) - failed} of {len(s.checks)} bounds hold")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: correctness only, no bound on time")
    args = ap.parse_args(argv)
    suite = run_suite(args.quick)
    try:
        return report(suite)
    finally:
        for p in suite.tmp.iterdir():
            p.unlink()
        suite.tmp.rmdir()


if __name__ == "__main__":
    raise SystemExit(main())
