#!/usr/bin/env python3
"""Speed and memory of nl80211dec against tshark and iwmon: same files, same run, interleaved.

    python benchmarks/bench.py                 # 200,000 messages per file, 3 rounds, + 1,000,000 for RSS
    python benchmarks/bench.py --quick         # tiny files, one round: proves the script works (CI)

Why it is built this way (issue 20): a benchmark that takes best-of-N sequential wall times on a shared
machine contradicts itself, and a file that repeats its payloads measures the decode memo, not the decoder.

1. Files (built by a child process, so this one stays small): the lab sessions and the builder's
   scenarios repeated to ~N messages, for link types 113 (iwmon) and 253 (nlmon).  The *fresh* file
   gives every nl80211, nlctrl and rtnetlink message an attribute of its own (a running counter), so
   no payload is ever seen twice and the decode memo cannot help; the memo's hit rate is measured and
   printed to prove it.  The *repeated* file repeats the sessions byte for byte (the memo's best case).
2. Every measurement is a child process: CPU time (user+sys, from ``os.wait4``) is the figure, wall
   time beside it; peak RSS is the child's ``ru_maxrss`` (read through GNU time, whose own small
   process forks the command: a child forked straight from Python inherits Python's size).
3. Rounds: in each round every pair (ours, the reference) runs back to back, the pair's order and the
   order of the pairs rotating from round to round; a ratio is computed per round (reference CPU /
   our CPU) and the table gives its minimum and median.  The load average is recorded at the start
   and the end: other work on the machine shows up there, not silently in the figures.

Paths: the API touching every value vs ``tshark -T fields`` (every nl80211/netlink/genl field, the
802.11/SAE/EAPoL fields); ``--json`` vs ``tshark -T json``; ``-V`` text (every attribute) vs
``iwmon -r`` (which reads link type 113 only); ``--sae`` vs ``tshark -Y 'wlan.fixed.auth.alg == 3'``
(tshark decodes the 802.11 frames inside nl80211 FRAME attributes on these captures; the filter lists
the SAE authentication frames, which is the closest a display filter comes to the diagnosis).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
LAB = ["wpas-sae-ok", "iwd-sae-ok", "wpas-sae-anticlog", "wpas-sae-pmksa-stale", "wpas-sae-wrongpass"]
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
SAE_FILTER = "wlan.fixed.auth.alg == 3"
# tshark fields standing for "every value": nl80211's own, the netlink/genl headers and attributes, and the
# 802.11 / SAE / EAPoL fields our API touches through Attr.decoded (filtered to those this tshark knows)
EXTRA_FIELDS = ["frame.number", "frame.time_epoch", "wlan.fc.type_subtype", "wlan.sa", "wlan.da", "wlan.bssid",
                "wlan.fixed.auth.alg", "wlan.fixed.auth_seq", "wlan.fixed.status_code", "wlan.fixed.reason_code",
                "wlan.fixed.finite_cyclic_group", "wlan.fixed.scalar", "wlan.fixed.finite_field_element",
                "wlan.fixed.send_confirm", "wlan.fixed.confirm", "wlan.fixed.anti_clogging_token",
                "wlan.tag.number", "wlan.tag.length", "wlan.ssid", "wlan.rsn.akms.type", "wlan.rsn.pcs.type",
                "wlan.rsn.capabilities", "eapol.type", "eapol.keydes.key_info", "eapol.keydes.nonce",
                "eapol.keydes.replay_counter", "eapol.keydes.mic"]


# --------------------------------------------------------------------------------------------------------
# building the files (run in a child: ``bench.py --build``)

def build_capture(target: int, linktype: int, fresh: bool) -> tuple[Path, int, float]:
    """A capture of at least ``target`` netlink messages: its path, message count and decode-memo hit rate."""
    path = DATA / f"bench-{target}-{linktype}-{'fresh' if fresh else 'repeated'}.pcap"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        m = json.loads(meta.read_text())
        return path, m["messages"], m["memo_hits"]
    sys.path.insert(0, str(ROOT))
    from nl80211dec.capture.reader import CaptureReader
    from nl80211dec.testing.scenarios import SCENARIOS, build
    from nl80211dec.testing.writers import pcap_bytes

    DATA.mkdir(parents=True, exist_ok=True)
    name = "iwmon.pcap" if linktype == 113 else "nlmon.pcap"
    blocks = [[r.data for r in CaptureReader(ROOT / "captures" / scen / name)] for scen in LAB]
    if linktype == 113:  # the builder writes iwmon records; nlmon files get the lab sessions only
        blocks += [[r.data for r in CaptureReader(build(scen))] for scen in SCENARIOS]
    ids = [_nl80211_ids(b, linktype) for b in blocks]
    counts = [sum(_count(d, linktype) for d in b) for b in blocks]
    records: list[tuple[float, bytes]] = []
    t = 1_800_000_000.0
    messages = 0
    stamp = [0]
    while messages < target:
        for b, fam, n in zip(blocks, ids, counts, strict=True):
            for data in b:
                t += 0.0005
                records.append((t, _stamped(data, linktype, fam, stamp) if fresh else data))
            messages += n
            if messages >= target:
                break
    path.write_bytes(pcap_bytes(records, linktype=linktype))
    hits = memo_hit_rate(path)
    meta.write_text(json.dumps({"messages": messages, "memo_hits": hits}))
    return path, messages, hits


def _nl80211_ids(block: list[bytes], linktype: int) -> set[int]:
    """The generic-netlink ids nl80211dec decodes as nl80211 in one lab capture."""
    import nl80211dec
    from nl80211dec.testing.writers import pcap_bytes

    cap = nl80211dec.open(pcap_bytes([(0.0, d) for d in block], linktype=linktype))
    return {m.family_id for m in cap if m.family == "nl80211" and m.nl_type >= 16 and m.family_id is not None}


def _count(record: bytes, linktype: int) -> int:
    from nl80211dec.link import parse_link
    from nl80211dec.netlink.core import host_order, split_messages

    link = parse_link(linktype, record)
    if link.kind == "eapol":
        return 1
    return sum(1 for _ in split_messages(record, link.offset, host_order(record, link.offset)))


GENERATION = 46  # NL80211_ATTR_GENERATION (u32): dumps carry one, so one more is plausible
UNIQUE_ATTR = 0x3FF0  # an attribute number no nlctrl/rtnetlink policy uses: shown as unknown, bytes kept
GENL_CTRL = 16


def _stamped(record: bytes, linktype: int, nl80211_ids: set[int], stamp: list[int]) -> bytes:
    """``record`` with an attribute of its own (``stamp[0]``, counting up) appended to each netlink message.

    nl80211 messages get a GENERATION, nlctrl and rtnetlink ones an unknown attribute; NLMSG_ERROR/DONE,
    EAPoL frames and requests the kernel cleared (all zero after the header: a cleared request stays one)
    are left as they are (an empty request with a command is stamped).  Each message's length is fixed
    up; the record's framing is kept.
    """
    from nl80211dec.link import parse_link
    from nl80211dec.netlink.core import host_order, split_messages

    link = parse_link(linktype, record)
    if link.kind not in ("generic", "route") or link.hatype != 824:
        return record
    order = host_order(record, link.offset)
    out = [record[:link.offset]]
    pos = link.offset
    for off, length, mtype, _f, _s, _p, problem in split_messages(record, link.offset, order):
        body = record[off:off + length]
        pos = off + ((length + 3) & ~3)
        if problem is not None:
            out.append(record[off:])
            pos = len(record)
            break
        genl = link.kind == "generic"
        if mtype < 16 or (genl and mtype not in nl80211_ids and mtype != GENL_CTRL) or (
                genl and mtype != GENL_CTRL and not body[16:].strip(b"\0")):
            out.append(record[off:pos])
            continue
        stamp[0] += 1
        num = GENERATION if genl and mtype != GENL_CTRL else UNIQUE_ATTR
        body = body + b"\0" * (-len(body) % 4) + struct.pack(order + "HHI", 8, num, stamp[0])
        out.append(struct.pack(order + "I", len(body)) + body[4:])
    out.append(record[pos:])
    return b"".join(out)


def memo_hit_rate(path: Path) -> float:
    """Share of the messages whose decode the memo reused (the default, memo on)."""
    from nl80211dec.capture.reader import CaptureReader
    from nl80211dec.pipeline import Decoder
    from nl80211dec.sae.layer import Dot11Layer

    decoder = Decoder(post=Dot11Layer().process)
    for _msg in decoder.decode_all(CaptureReader(path)):
        pass
    return decoder.memo.hits / max(1, decoder.summary.messages)


# --------------------------------------------------------------------------------------------------------
# the API path (run in a child: ``bench.py --api FILE``)

def api_full_decode(path: Path) -> int:
    """Decode everything through the API and touch every value (lazy paths must pay here)."""
    try:
        import nl80211dec  # the installed build (compiled or pure) when there is one
    except ImportError:
        sys.path.insert(0, str(ROOT))
        import nl80211dec

    n = 0
    for msg in nl80211dec.open(path):
        n += 1
        _ = msg.cmd_name, msg.role, msg.malformed
        for a in msg.walk():
            _ = a.value, a.text, a.problem
            d = a.decoded
            if d is not None and hasattr(d, "as_json"):
                d.as_json()
        if msg.eapol is not None:
            msg.eapol.as_json()
    return n


# --------------------------------------------------------------------------------------------------------
# measuring

@dataclass
class Sample:
    cpu: float  # user + sys of the child, seconds
    wall: float
    rss: int  # KiB, the child's ru_maxrss


def measure(cmd: list[str]) -> Sample:
    """Run ``cmd`` once (output to /dev/null): its CPU time, wall time and peak RSS."""
    fd, rss_name = tempfile.mkstemp(prefix="bench-rss-")
    os.close(fd)
    wrapped = [GNU_TIME, "-f", "%M", "-o", rss_name, *cmd] if GNU_TIME else cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        text = Path(rss_name).read_text().split()
        rss = int(text[-1]) if GNU_TIME and text and text[-1].isdigit() else ru.ru_maxrss
    finally:
        os.unlink(rss_name)
    if proc.returncode not in (0, 1):  # 1: some records malformed, still a full run
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    return Sample(ru.ru_utime + ru.ru_stime, wall, rss)


@dataclass
class Pair:
    """One row: our command and the reference's on one file, a sample of each per round."""

    path: str
    file: str
    messages: int
    ours: list[str]
    ref_name: str
    ref: list[str] | None
    ours_s: list[Sample]
    ref_s: list[Sample]

    def run(self, ours_first: bool) -> None:
        for which in ((True, False) if ours_first else (False, True)):
            if which:
                self.ours_s.append(measure(self.ours))
            elif self.ref is not None:
                self.ref_s.append(measure(self.ref))


def tshark_fields(tshark: str) -> list[str]:
    """Every nl80211/netlink/genl field this tshark has, plus the 802.11/SAE/EAPoL ones it knows."""
    out = subprocess.run([tshark, "-G", "fields"], capture_output=True, text=True).stdout
    known = set()
    ours: list[str] = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) > 2 and parts[0] == "F":
            known.add(parts[2])
            if parts[2].split(".")[0] in ("nl80211", "netlink", "genl"):
                ours.append(parts[2])
    return [f for f in EXTRA_FIELDS if f in known] + ours


def fmt_rate(n: int, s: float) -> str:
    return f"{n / s / 1000:,.1f}k" if s > 0 else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=200_000, help="messages per file")
    ap.add_argument("--big", type=int, default=1_000_000, help="size of the fresh RSS check (0 to skip)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="tiny files, one round, no RESULTS.md: for tests")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite benchmarks/RESULTS.md")
    ap.add_argument("--results", metavar="FILE.md", default=str(ROOT / "benchmarks" / "RESULTS.md"),
                    help="where the table goes (e.g. RESULTS-compiled.md for a run from a compiled install)")
    ap.add_argument("--report", metavar="FILE.json", help="also write the samples and hit rates as JSON")
    ap.add_argument("--build", nargs=3, metavar=("N", "LINKTYPE", "KIND"), help=argparse.SUPPRESS)
    ap.add_argument("--api", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        bpath, bn, rate = build_capture(int(args.build[0]), int(args.build[1]), args.build[2] == "fresh")
        print(json.dumps({"path": str(bpath), "messages": bn, "memo_hits": rate}))
        return 0
    if args.api:
        print(api_full_decode(Path(args.api)))
        return 0
    if args.quick:
        args.messages, args.big, args.rounds, args.no_write = 3000, 0, 1, True
    py = sys.executable
    me = str(Path(__file__).resolve())
    DATA.mkdir(parents=True, exist_ok=True)
    os.chdir(DATA)  # so `python -m nl80211dec` is the installed build, not the checkout beside the cwd
    build = subprocess.run([py, "-c", "import nl80211dec._pure as p; print(p.compiled())"], capture_output=True,
                           text=True).stdout.strip()
    tshark, iwmon = shutil.which("tshark"), shutil.which("iwmon")
    notes: list[str] = [f"nl80211dec build measured: {'compiled (mypyc)' if build == 'True' else 'pure Python'}"]
    load_start = os.getloadavg()

    def built(n: int, lt: int, kind: str) -> dict:
        out = subprocess.run([py, me, "--build", str(n), str(lt), kind], capture_output=True, text=True, check=True)
        return json.loads(out.stdout.splitlines()[-1])

    files = {(lt, kind): built(args.messages, lt, kind) for lt in (113, 253) for kind in ("fresh", "repeated")}
    fields = tshark_fields(tshark) if tshark else []
    pairs: list[Pair] = []
    for (lt, kind), f in files.items():
        p, n = str(f["path"]), int(f["messages"])
        label = f"{lt} {kind}"
        tf = [tshark, "-r", p, "-T", "fields", *[x for fld in fields for x in ("-e", fld)]] if tshark else None
        pairs.append(Pair("API, every value", label, n, [py, me, "--api", p], "tshark -T fields", tf, [], []))
        pairs.append(Pair("--json", label, n, [py, "-m", "nl80211dec", "--json", p], "tshark -T json",
                          [tshark, "-r", p, "-T", "json"] if tshark else None, [], []))
        pairs.append(Pair("text -V", label, n, [py, "-m", "nl80211dec", "-V", p],
                          "iwmon -r" if lt == 113 else "iwmon -r (reads 113 only)",
                          [iwmon, "-r", p] if iwmon and lt == 113 else None, [], []))
        pairs.append(Pair("--sae", label, n, [py, "-m", "nl80211dec", "--sae", p], f"tshark -Y '{SAE_FILTER}'",
                          [tshark, "-r", p, "-Y", SAE_FILTER] if tshark else None, [], []))
    for r in range(args.rounds):
        k = r % len(pairs)
        for i, pair in enumerate(pairs[k:] + pairs[:k]):
            pair.run(ours_first=(r + i) % 2 == 0)
    big_rows: list[list[str]] = []
    if args.big:
        fb = built(args.big, 113, "fresh")
        pb, nb = fb["path"], fb["messages"]
        for label, cmd in (("--json", [py, "-m", "nl80211dec", "--json", pb]),
                           ("--sae", [py, "-m", "nl80211dec", "--sae", pb]),
                           ("API, every value", [py, me, "--api", pb]),
                           *((("tshark -T fields", [tshark, "-r", pb, "-T", "fields", "-e", "frame.number",
                                                    "-e", "nl80211.attr_value"]),) if tshark else ())):
            s = measure(cmd)
            big_rows.append([label, f"{nb:,}", f"{s.rss / 1024:.0f} MiB", f"{s.cpu:.1f} s", f"{s.wall:.1f} s"])
        notes.append(f"the {nb:,}-message file is fresh, link type 113; memo hits {fb['memo_hits']:.1%}")
    load_end = os.getloadavg()

    header = ["path", "file", "msgs", "ours CPU (msg/s)", "ours wall", "ours RSS", "reference", "ref CPU (msg/s)",
              "ref wall", "ref RSS", "CPU ratio min / median", "wall ratio median"]
    rows = []
    for pr in pairs:
        oc = statistics.median(s.cpu for s in pr.ours_s)
        ow = statistics.median(s.wall for s in pr.ours_s)
        row = [pr.path, pr.file, f"{pr.messages:,}", f"{oc:.2f} s ({fmt_rate(pr.messages, oc)})", f"{ow:.2f} s",
               f"{max(s.rss for s in pr.ours_s) / 1024:.0f} MiB", pr.ref_name]
        if pr.ref_s:
            rc = statistics.median(s.cpu for s in pr.ref_s)
            rw = statistics.median(s.wall for s in pr.ref_s)
            ratios = [r.cpu / o.cpu for o, r in zip(pr.ours_s, pr.ref_s, strict=True)]
            wratios = [r.wall / o.wall for o, r in zip(pr.ours_s, pr.ref_s, strict=True)]
            row += [f"{rc:.2f} s ({fmt_rate(pr.messages, rc)})", f"{rw:.2f} s",
                    f"{max(s.rss for s in pr.ref_s) / 1024:.0f} MiB",
                    f"{min(ratios):.2f}x / {statistics.median(ratios):.2f}x", f"{statistics.median(wratios):.2f}x"]
        else:
            row += ["-", "-", "-", "-", "-"]
        rows.append(row)
    hits = ", ".join(f"{lt} {kind} {f['memo_hits']:.1%}" for (lt, kind), f in files.items())
    notes.insert(0, f"decode memo hit rate (share of messages): {hits}")
    notes.append(f"load average (1/5/15 min) at start {_load(load_start)}, at end {_load(load_end)} "
                 f"on {os.cpu_count()} cores")
    if not tshark:
        notes.append("tshark not installed (apt-get install tshark): its columns are empty")
    if not iwmon:
        notes.append("iwmon not installed (apt-get install iwd): its column is empty")
    if not GNU_TIME:
        notes.append("GNU time not installed (apt-get install time): RSS is wait4's, which includes this process")
    print(_table(header, rows))
    if big_rows:
        print()
        print(_table(["peak RSS at 1M", "msgs", "RSS", "CPU", "wall"], big_rows))
    for note in notes:
        print("note:", note)
    if args.report:
        Path(args.report).write_text(json.dumps({
            "files": {f"{lt} {kind}": f for (lt, kind), f in files.items()},
            "pairs": [{"path": p.path, "file": p.file, "messages": p.messages, "ref_name": p.ref_name,
                       "ours": [vars(s) for s in p.ours_s], "ref": [vars(s) for s in p.ref_s]} for p in pairs],
            "load": [load_start, load_end]}, indent=1))
    if not args.no_write:
        _write_results(args, header, rows, big_rows, notes, tshark, iwmon, len(fields))
    return 0


def _load(la: tuple[float, float, float]) -> str:
    return "/".join(f"{x:.2f}" for x in la)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)), "-|-".join("-" * w for w in widths)]
    return "\n".join(lines + [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows])


def _md(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def _write_results(args: argparse.Namespace, header: list[str], rows: list[list[str]], big_rows: list[list[str]],
                   notes: list[str], tshark: str | None, iwmon: str | None, nfields: int) -> None:
    versions = []
    for label, tool in (("tshark", tshark), ("iwmon", iwmon)):
        if tool:
            out = subprocess.run([tool, "-v"], capture_output=True, text=True).stdout.splitlines()
            first = out[0] if out else ""
            versions.append(first if first.lower().startswith(label) else f"{label} {first}".strip())
    md = ["# Benchmark results", "",
          f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
          f"Reference tools: {', '.join(versions) or 'none'}.", "",
          f"`python benchmarks/bench.py` ({args.rounds} rounds, ~{args.messages:,} messages per file). Files: "
          "*fresh* = every nl80211/nlctrl/rtnetlink payload made unique (the decode memo cannot help: its hit "
          "rate is below), *repeated* = the lab sessions repeated byte for byte (the memo's best case). 113 = "
          "iwmon (lab sessions + builder scenarios), 253 = nlmon (lab sessions). Figures are the median over "
          "the rounds of the child's CPU time (user+sys), wall time beside it; ratio = reference CPU / ours "
          "per round (above 1 = nl80211dec faster), minimum and median over the rounds. Ours and the "
          "reference alternate, order rotating each round. Every command includes its start-up. "
          f"`tshark -T fields` is given {nfields} fields (every nl80211/netlink/genl field and the "
          "802.11/SAE/EAPoL ones), the API path touches every attribute's value and text and every decoded "
          "frame/SAE/EAPoL object. `-V` prints every attribute, as `iwmon -r` does.", "",
          *_md(header, rows), ""]
    if big_rows:
        md += ["Peak RSS (ru_maxrss of the child) on a fresh 1M-message file:", "",
               *_md(["command", "msgs", "RSS", "CPU", "wall"], big_rows), ""]
    md += [f"Note: {n}" for n in notes]
    md += ["", "Other work may share the machine: the load average above says how much; ratios are paired "
           "per round so both sides of a pair saw the same load."]
    Path(args.results).write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
