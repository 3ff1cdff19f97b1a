#!/usr/bin/env python3
"""A coverage-guided fuzz harness (atheris, libFuzzer) over the same targets and oracles as the campaign.

    pip install '.[fuzz]'
    python tools/fuzz_atheris.py CORPUS_DIR [-max_total_time=600] [-jobs=1] [any libFuzzer flag]
    python tools/fuzz_atheris.py --write-seeds CORPUS_DIR    # the shipped captures as the starting corpus

Why beside the random campaign: libFuzzer keeps the inputs that reach new branches of nl80211dec (every module
instrumented at import), so it walks into states the mutated seeds rarely reach.  An input is one byte naming
the target (``TARGETS[b % len(TARGETS)]``, nl80211dec.testing.fuzz) and the target's bytes; the two-file
targets (``air``, ``journal``, ``diff``) split them at a 4-byte length.  A finding is whatever the target's oracle
raises (anything but DecodeError, or a broken promise); libFuzzer saves the input as ``crash-*``, and
``python tools/fuzz_atheris.py crash-FILE`` replays it.
"""

from __future__ import annotations

import gzip
import struct
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["nl80211dec"]):
    import nl80211dec  # noqa: F401 - instrumented for coverage
    import nl80211dec.cli
    import nl80211dec.diff  # noqa: F401
    import nl80211dec.render.dataframe  # noqa: F401
    from nl80211dec.testing import fuzz

TARGETS = fuzz.TARGETS
PAIRED = {"air": ("capture.pcap", "air.pcap"), "journal": ("journal.txt", "capture.pcap"),
          "diff": ("good.pcap", "bad.pcap")}
SINGLE = {"pcap": "capture.pcap", "pcapng": "capture.pcapng", "gzip": "capture.pcap.gz",
          "iwmon-text": "iwmon.txt", "dataframe": "capture.pcap"}
CLI_ARGV = (("--sae",), (), ("-V",), ("--json",), ("--sae", "--json"))
SCRATCH = Path(tempfile.mkdtemp(prefix="nl80211dec-atheris-"))


def split(data: bytes) -> tuple[bytes, bytes]:
    """Two inputs from one: a little-endian u32 length, the first input, the second."""
    if len(data) < 4:
        return data, b""
    (n,) = struct.unpack_from("<I", data)
    n = min(n, len(data) - 4)
    return data[4:4 + n], data[4 + n:]


def joined(a: bytes, b: bytes) -> bytes:
    return struct.pack("<I", len(a)) + a + b


def case_of(data: bytes) -> fuzz.Case:
    """The fuzz case an input stands for (see the module docstring)."""
    if not data:
        return fuzz.Case("pcap", {"capture.pcap": b""}, [])
    target = TARGETS[data[0] % len(TARGETS)]
    body = data[1:]
    if target in PAIRED:
        a, b = split(body)
        names = PAIRED[target]
        return fuzz.Case(target, {names[0]: a, names[1]: b}, [])
    if target == "cli":  # second byte: the mode and the kind of input
        mode = CLI_ARGV[body[0] % len(CLI_ARGV)] if body else ()
        rest = body[1:]
        if body and body[0] & 0x80:
            a, b = split(rest)
            return fuzz.Case("cli", {"capture.pcap": a, "air.pcap": b}, [],
                             [*mode, "capture.pcap", "--air", "air.pcap"])
        return fuzz.Case("cli", {"input.bin": rest}, [], [*mode, "input.bin"])
    return fuzz.Case(target, {SINGLE[target]: body}, [])


def test_one_input(data: bytes) -> None:
    case = case_of(data)
    if case.target == "cli":
        fuzz.run_cli(case, SCRATCH)
    else:
        fuzz.run_case(case)


def write_seeds(out: Path) -> int:
    """The starting corpus: every seed of the campaign, once per target that reads its kind."""
    seeds = fuzz.load_seeds(ROOT)
    out.mkdir(parents=True, exist_ok=True)
    n = 0

    def put(target: str, body: bytes) -> None:
        nonlocal n
        (out / f"seed-{n:05d}").write_bytes(bytes([TARGETS.index(target)]) + body)
        n += 1

    for i, p in enumerate(seeds.pcaps):
        put("pcap", p)
        if i % 3 == 0:
            put("pcapng", fuzz._pcapng(p))
            put("gzip", gzip.compress(p, mtime=0))
            put("dataframe", p)
            put("diff", joined(p, p))
            put("cli", bytes([i % len(CLI_ARGV)]) + p)
    for net, air in seeds.pairs:
        put("air", joined(net, air))
    for i, (net, air) in enumerate(seeds.pairs[:10]):
        put("cli", bytes([0x80 | i % len(CLI_ARGV)]) + joined(net, air))
    for t in seeds.iwmon_text:
        put("iwmon-text", t)
    for i, log in enumerate(seeds.logs):
        put("journal", joined(log, seeds.pcaps[i % len(seeds.pcaps)]))
    return n


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--write-seeds":
        print(f"{write_seeds(Path(sys.argv[2]))} seed inputs written to {sys.argv[2]}")
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
