#!/usr/bin/env python3
"""Speed and memory of nl80211dec against tshark and iwmon, on the same file, in the same run.

    python benchmarks/bench.py                 # 200,000 messages (+ 1,000,000 for the RSS check)
    python benchmarks/bench.py --smoke         # a tiny run for CI: proves the script works

1. Builds a large, deterministic iwmon capture (link type 113) and an nlmon
   copy (link type 253): the real lab records (wiphy dumps, scans, station
   dumps, connects, SAE exchanges, EAPoL) repeated with fresh timestamps, plus
   brcmfmac external-auth flows from the scenario builder - all written
   through the Construct schemas (nl80211dec.testing.writers).
2. Times, best of 3: the API full decode (every attribute, frame, SAE body and
   element touched) against ``tshark -T fields``; ``--json`` against
   ``tshark -T json``; the text output against ``iwmon -r``; the sequencer's
   extra cost; start-up time. Peak RSS of every command comes from wait4().
3. Prints one table and writes benchmarks/RESULTS.md with the machine facts.

tshark and iwmon come from Debian (``apt-get install tshark iwd``); when one is
missing the benchmark says so and reports nl80211dec's figures alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nl80211dec  # noqa: E402
from nl80211dec.capture.reader import CaptureReader  # noqa: E402
from nl80211dec.sequence import Sequencer  # noqa: E402
from nl80211dec.testing.scenarios import SCENARIOS, build  # noqa: E402
from nl80211dec.testing.writers import pcap_bytes  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
LAB = ["wpas-sae-ok", "iwd-sae-ok", "wpas-sae-anticlog", "wpas-sae-pmksa-stale", "wpas-sae-wrongpass"]


def build_capture(target: int, linktype: int, fresh: bool = False) -> tuple[Path, int]:
    """A capture of at least ``target`` netlink messages; returns its path and message count.

    ``fresh`` (iwmon files only) makes each repetition of the lab sessions
    carry its own nl80211 payloads, as a new connection's would: every nl80211
    message of round r gets a GENERATION attribute of value r.  Repeats within
    one session stay (they are real); repeats across rounds go.
    """
    path = DATA / f"bench-{target}-{linktype}{'-fresh' if fresh else ''}.pcap"
    count_file = path.with_suffix(".count")
    if path.exists() and count_file.exists():
        return path, int(count_file.read_text())
    DATA.mkdir(parents=True, exist_ok=True)
    name = "iwmon.pcap" if linktype == 113 else "nlmon.pcap"
    blocks: list[list[bytes]] = []
    for scen in LAB:
        blocks.append([r.data for r in CaptureReader(ROOT / "captures" / scen / name)])
    if linktype == 113:
        for scen in SCENARIOS:
            blocks.append([r.data for r in CaptureReader(build(scen))])
    per_round = {id(b): sum(_messages(d, linktype) for d in b) for b in blocks}
    ids = {id(b): _nl80211_ids(b) for b in blocks} if fresh else {}
    records: list[tuple[float, bytes]] = []
    t = 1_800_000_000.0
    messages = 0
    rnd = 0
    while messages < target:
        rnd += 1
        for b in blocks:
            for data in b:
                t += 0.0005
                records.append((t, _stamped(data, rnd, ids[id(b)]) if fresh else data))
            messages += per_round[id(b)]
            if messages >= target:
                break
    path.write_bytes(pcap_bytes(records, linktype=linktype))
    count_file.write_text(str(messages))
    return path, messages


GENERATION = 46  # NL80211_ATTR_GENERATION, u32


def _nl80211_ids(block: list[bytes]) -> set[int]:
    """The generic-netlink ids nl80211dec decodes as nl80211 in one lab capture."""
    cap = nl80211dec.open(pcap_bytes([(0.0, d) for d in block], linktype=113))
    return {m.family_id for m in cap if m.family == "nl80211" and m.nl_type >= 16}


def _stamped(record: bytes, stamp: int, nl80211_ids: set[int]) -> bytes:
    """An iwmon record with GENERATION=``stamp`` appended to its nl80211 message (others unchanged)."""
    if len(record) < 36 or record[2:4] != b"\x03\x38" or record[14:16] != b"\x00\x10":
        return record  # not ARPHRD_NETLINK (824) carrying generic netlink (16)
    length, mtype = struct.unpack_from("<IH", record, 16)
    body = record[16:]
    if mtype not in nl80211_ids or length != len(body) or not body[20:].strip(b"\0"):
        return record  # another family, several messages, or a request the kernel cleared
    padded = body + b"\0" * (-len(body) % 4)
    body = padded + struct.pack("<HHI", 8, GENERATION, stamp)
    return record[:16] + struct.pack("<I", len(body)) + body[4:]


def _messages(record: bytes, linktype: int) -> int:
    if linktype == 113:
        return 1
    from nl80211dec.netlink.core import split_messages

    return sum(1 for _ in split_messages(record, 16))


GNU_TIME = shutil.which("time") if Path("/usr/bin/time").exists() else None


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one command.

    Peak RSS comes from GNU time (``apt-get install time``): a child forked
    straight from this Python would report this process's size in
    ru_maxrss, not its own.
    """
    wrapped = ["/usr/bin/time", "-f", "%M", "-o", str(DATA / "rss.txt"), *cmd] if GNU_TIME else cmd
    t0 = time.perf_counter()
    subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    dt = time.perf_counter() - t0
    rss = int((DATA / "rss.txt").read_text().split()[-1]) if GNU_TIME else 0
    return dt, rss


_MEASURED: dict[tuple[str, ...], tuple[float, int]] = {}


def best_of(n: int, cmd: list[str]) -> tuple[float, int]:
    """Best time and worst peak RSS of ``n`` runs (a command measured before is not run again)."""
    key = tuple(cmd)
    if key not in _MEASURED:
        results = [run(cmd) for _ in range(n)]
        _MEASURED[key] = min(r[0] for r in results), max(r[1] for r in results)
    return _MEASURED[key]


def api_full_decode(path: Path, sequencer: bool = False, memo: bool = True) -> float:
    """Decode everything through the API and touch every value (lazy paths stay honest)."""
    t0 = time.perf_counter()
    seq = Sequencer() if sequencer else None
    for msg in nl80211dec.open(path, memo=memo):
        for a in msg.walk():
            _ = a.value, a.text
            d = a.decoded
            if d is not None and hasattr(d, "as_json"):
                d.as_json()
        if msg.eapol is not None:
            msg.eapol.as_json()
        if seq is not None:
            seq.feed(msg)
    if seq is not None:
        seq.finish()
    return time.perf_counter() - t0


def memo_hit_rate(path: Path) -> float:
    """Share of the messages whose decode the memo reused."""
    from nl80211dec.pipeline import Decoder
    from nl80211dec.sae.layer import Dot11Layer

    decoder = Decoder(post=Dot11Layer().process)
    for _msg in decoder.decode_all(CaptureReader(path)):
        pass
    return decoder.memo.hits / max(1, decoder.summary.messages)


def lab_hit_rates() -> str:
    rates = [memo_hit_rate(ROOT / "captures" / scen / name) for scen in LAB for name in ("iwmon.pcap", "nlmon.pcap")]
    return f"{min(rates):.0%}-{max(rates):.0%}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--big", type=int, default=1_000_000, help="size of the flat-memory check (0 to skip)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat: for CI")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite benchmarks/RESULTS.md")
    args = ap.parse_args()
    if args.smoke:
        args.messages, args.big, args.repeat, args.no_write = 3000, 0, 1, True
    py = sys.executable
    tshark, iwmon = shutil.which("tshark"), shutil.which("iwmon")
    notes = []
    if not tshark:
        notes.append("tshark not installed (apt-get install tshark): its columns are empty")
    if not iwmon:
        notes.append("iwmon not installed (apt-get install iwd): its column is empty")
    if not GNU_TIME:
        notes.append("GNU time not installed (apt-get install time): peak RSS shows 0")

    f113, n113 = build_capture(args.messages, 113)
    f253, n253 = build_capture(args.messages, 253)
    ffresh, nfresh = build_capture(args.messages, 113, fresh=True)
    rows: list[tuple[str, str, str, str]] = []

    def rate(n: int, dt: float) -> str:
        return f"{n / dt:,.0f} msg/s"

    def mib(kib: int) -> str:
        return f"{kib / 1024:.0f} MiB"

    def row(label: str, n: int, ours: tuple[float, int], ref_name: str, ref: tuple[float, int] | None) -> None:
        line = [label, f"{rate(n, ours[0])}, {mib(ours[1])}"]
        if ref is not None:
            line += [f"{ref_name}: {rate(n, ref[0])}, {mib(ref[1])}", f"{ref[0] / ours[0]:.2f}x"]
        rows.append(tuple(line + [""] * (4 - len(line))))  # type: ignore[arg-type]

    # The decode memo reuses the decode of a payload seen before.  The issue's
    # file repeats the lab sessions byte for byte, so it repeats far more than a
    # real capture; the "fresh" file gives each repetition its own nl80211
    # payloads (the lab's own within-session repetition stays), and --no-memo
    # is the floor: a capture in which nothing ever repeats.
    notes.append(f"decode memo hits: {memo_hit_rate(f113):.0%} of the messages of the repeated file, "
                 f"{memo_hit_rate(ffresh):.0%} of the fresh file, {lab_hit_rates()} in the lab captures themselves")
    files = (("iwmon 113", f113, n113), ("iwmon 113, fresh", ffresh, nfresh))

    # 1. API full decode vs tshark fields
    api_time: dict[str, float] = {}
    for label, f, n in (*files, ("iwmon 113, --no-memo", f113, n113)):
        memo = "no-memo" not in label
        api = api_time[label] = min(api_full_decode(f, memo=memo) for _ in range(args.repeat))
        rss = run([py, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                   "from benchmarks.bench import api_full_decode; from pathlib import Path; "
                   f"api_full_decode(Path({str(f)!r}), memo={memo})"])[1]
        ref = best_of(args.repeat, [tshark, "-r", str(f), "-T", "fields", "-e", "frame.number",
                                    "-e", "netlink.hdr_type"]) if tshark else None
        row(f"API full decode ({label})", n, (api, rss), "tshark -T fields", ref)

    # 2. --json vs tshark -T json
    for label, f, n in (*files, ("nlmon 253", f253, n253)):
        ours = best_of(args.repeat, [py, "-m", "nl80211dec", "--json", str(f)])
        ref = best_of(args.repeat, [tshark, "-r", str(f), "-T", "json"]) if tshark else None
        row(f"--json ({label})", n, ours, "tshark -T json", ref)
    rss_ours = run([py, "-m", "nl80211dec", "--json", str(f113)])[1]

    # 3. text vs iwmon -r
    for label, f, n in files:
        ours = best_of(args.repeat, [py, "-m", "nl80211dec", str(f)])
        ref = best_of(args.repeat, [iwmon, "-r", str(f)]) if iwmon else None
        row(f"text output ({label})", n, ours, "iwmon -r", ref)

    # 4. sequencer's extra cost
    with_seq = min(api_full_decode(f113, sequencer=True) for _ in range(args.repeat))
    rows.append(("sequencer on top of the API decode", f"{(with_seq / api_time['iwmon 113'] - 1) * 100:+.0f}% time",
                 f"{rate(n113, with_seq)} with attempts", ""))

    # 5. flat memory: same command at 200k and at the big size
    if args.big:
        fbig, nbig = build_capture(args.big, 113)
        _t, rss_big = run([py, "-m", "nl80211dec", "--json", str(fbig)])
        rows.append((f"peak RSS --json at {n113:,} vs {nbig:,} msgs", f"{mib(rss_ours)} vs {mib(rss_big)}", "", ""))

    # 6. start-up
    t_start, rss_start = best_of(max(3, args.repeat), [py, "-m", "nl80211dec", "--version"])
    rows.append(("start-up (--version)", f"{t_start * 1000:.0f} ms, {mib(rss_start)}", "", ""))

    header = ("measurement", "nl80211dec", "reference", "nl80211dec speed-up")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(4)]
    table = [" | ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)),
             "-|-".join("-" * w for w in widths)]
    table += [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    print("\n".join(table))
    for n in notes:
        print("note:", n)
    if not args.no_write:
        facts = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"{platform.platform()}")
        versions = []
        for label, tool in (("tshark", tshark), ("iwmon", iwmon)):
            if tool:
                try:
                    out = subprocess.run([tool, "-v"], capture_output=True, text=True).stdout.splitlines()
                    first = out[0] if out else ""
                    versions.append(first if first.lower().startswith(label) else f"{label} {first}".strip())
                except OSError:
                    versions.append(label)
        md = ["# Benchmark results", "", f"Machine: {facts}", f"Reference tools: {', '.join(versions) or 'none'}",
              f"File: {n113:,} netlink messages (iwmon, link type 113) and {n253:,} (nlmon, 253): the lab "
              "sessions repeated byte for byte, as the issue defines it; 'fresh': the same with each repetition's "
              f"nl80211 payloads made its own ({nfresh:,} messages); built by benchmarks/bench.py; best of "
              f"{args.repeat}; ratios are reference time / nl80211dec time (above 1 = nl80211dec faster).", "",
              "| " + " | ".join(header) + " |", "|" + "---|" * 4]
        md += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
        md += [""] + [f"Note: {n}" for n in notes]
        (ROOT / "benchmarks" / "RESULTS.md").write_text("\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
