#!/usr/bin/env python3
"""Record the reference decoders' view of every shipped capture as golden files.

Runs ``iwmon -r`` (iwd's monitor) and ``tshark`` on ``captures/*/`` and stores
what they say in ``tests/golden/<scenario>/``, compactly, so the tests can
compare nl80211dec with them on a machine that has neither tool.

    apt-get install tshark iwd      # once
    python tools/make_golden.py     # rewrite tests/golden/
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT / "captures"
GOLDEN = ROOT / "tests" / "golden"

HEADER_RE = re.compile(
    r"^(?P<dir>[<>]) (?P<what>.+?) \((?P<num>0x[0-9a-f]+)\) len (?P<len>\d+)(?: \[(?P<flags>[^\]]*)\])?\s+"
    r"(?P<ts>\d+\.\d+)$")
# EAPoL frames iwmon recorded from the PAE socket (FullMAC drivers without control port): no command number
PAE_RE = re.compile(r"^(?P<dir>[<>]) PAE: len (?P<len>\d+)\s+(?P<ts>\d+\.\d+)$")

HEXDUMP_RE = re.compile(r"^\s+([0-9a-f]{2} ){1,16}\s")

TSHARK_NL_FIELDS = ["frame.number", "nl80211.cmd", "nl80211.attr_type"]
TSHARK_SAE_FIELDS = ["frame.number", "wlan.fixed.auth.alg", "wlan.fixed.auth_seq", "wlan.fixed.status_code",
                     "wlan.fixed.finite_cyclic_group", "wlan.fixed.anti_clogging_token", "wlan.fixed.scalar",
                     "wlan.fixed.finite_field_element", "wlan.fixed.send_confirm", "wlan.fixed.confirm"]


def parse_iwmon_text(text: str) -> list[dict]:
    """iwmon -r output -> [{dir, kind, name, num, len, flags, attrs: [[name, value, nested...], ...]}].

    Header lines, one entry per top-level attribute (4-space indent) and, after
    its name and value, the lines iwmon nests under it (frames, elements),
    without hexdumps: what a user reads and what the tests compare.
    """
    out: list[dict] = []
    cur: dict | None = None
    for line in text.splitlines():
        pae = PAE_RE.match(line)
        if pae:
            cur = {"dir": pae["dir"], "kind": "PAE", "name": "EAPoL", "num": 0, "len": int(pae["len"]), "flags": "",
                   "attrs": []}
            out.append(cur)
            continue
        m = HEADER_RE.match(line)
        if m:
            kind, _, name = m["what"].partition(": ")
            cur = {"dir": m["dir"], "kind": kind, "name": name, "num": int(m["num"], 16), "len": int(m["len"]),
                   "flags": m["flags"] or "", "attrs": []}
            out.append(cur)
            continue
        if cur is None or not line.startswith("    "):
            continue
        if line.startswith("     "):
            # nested decode (frames, elements, nested attributes) under the last
            # attribute; hexdump rows are dropped
            if cur["attrs"] and not HEXDUMP_RE.match(line):
                cur["attrs"][-1].append(line.rstrip()[4:])
            continue
        body = line[4:].rstrip()
        if body.startswith("MAC Address "):
            cur["attrs"].append(["MAC Address", body[len("MAC Address "):]])
            continue
        name, sep, value = body.partition(": ")
        if not sep and body.endswith(":"):
            name, value = body[:-1], ""
        cur["attrs"].append([name.strip(), value.strip()])
    return out


def tshark_fields(pcap: Path, fields: list[str], filt: str | None = None) -> list[list[str]]:
    cmd = ["tshark", "-r", str(pcap), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;"]
    if filt:
        cmd += ["-Y", filt]
    for f in fields:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [line.split("\t") for line in res.stdout.splitlines()]


def write_gz(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(obj, separators=(",", ":")).encode()
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(data)


def main() -> int:
    missing = [t for t in ("iwmon", "tshark") if shutil.which(t) is None]
    if missing:
        print(f"make_golden: needs {' and '.join(missing)} (apt-get install tshark iwd)", file=sys.stderr)
        return 2
    for scen in sorted(p for p in CAPTURES.iterdir() if (p / "iwmon.pcap").exists()):
        dest = GOLDEN / scen.name
        iw = subprocess.run(["iwmon", "-r", str(scen / "iwmon.pcap")], capture_output=True, text=True)
        write_gz(dest / "iwmon.json.gz", {"tool": "iwmon -r", "messages": parse_iwmon_text(iw.stdout)})
        for name in ("iwmon", "nlmon"):
            rows = tshark_fields(scen / f"{name}.pcap", TSHARK_NL_FIELDS)
            write_gz(dest / f"{name}.tshark-nl80211.json.gz",
                     {"tool": "tshark -T fields " + " ".join(TSHARK_NL_FIELDS), "rows": rows})
            sae = tshark_fields(scen / f"{name}.pcap", TSHARK_SAE_FIELDS, "wlan.fixed.auth.alg == 3")
            write_gz(dest / f"{name}.tshark-sae.json.gz",
                     {"tool": "tshark -T fields " + " ".join(TSHARK_SAE_FIELDS), "rows": sae})
        print(f"{scen.name}: golden written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
