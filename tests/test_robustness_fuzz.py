"""Every fuzz target in CI (a few hundred cases each, seeded from shipped captures), the scale suite's smoke run,
and the findings of the extended campaign as regression tests.

The long runs are ``python tools/fuzz_campaign.py --cases 1000000`` and ``tools/fuzz_atheris.py``
(docs/robustness.md); these cases are few, deterministic and fast, so a broken promise fails here first.
"""

from __future__ import annotations

import gzip
import random
import subprocess
import sys

import pytest

from nl80211dec.testing import fuzz
from nl80211dec.testing.fuzz import TARGETS, Case, load_seeds, make_case, run_case

from .golden_util import CAPTURES, ROOT

CASES_PER_TARGET = {"journal": 150, "dataframe": 100, "cli": 200}  # the slower targets; the rest 300


@pytest.fixture(scope="module")
def seeds() -> fuzz.Seeds:
    """The seeds of the first capture folders (brcmfmac scenarios with air files, the fmac lab runs)."""
    return load_seeds(ROOT, limit=6)


@pytest.mark.parametrize("target", TARGETS)
def test_every_target_keeps_its_promises(seeds, target, tmp_path):
    ranges = seeds.ranges()
    rng = random.Random(f"ci-{target}")
    for _ in range(CASES_PER_TARGET.get(target, 300)):
        case = make_case(target, seeds, ranges, rng)
        if target == "cli":
            fuzz.run_cli(case, tmp_path)
        else:
            run_case(case)


def test_seeds_cover_every_kind_of_input():
    s = load_seeds(ROOT, limit=8)
    assert len(s.pcaps) > 8 and s.pairs and s.iwmon_text and s.logs
    assert any(name.endswith("nlmon.pcap") for name in s.names) and any(name.endswith("iwmon.pcap")
                                                                       for name in s.names)


def test_the_oracle_catches_a_control_byte_in_text_output():
    """The escaping check can fail: a raw ESC in a rendered line is a finding."""
    fuzz.shown(["# 1 < Request: nl80211 CONNECT", "\tSSID: 'a\\x1b'"], "ok")
    with pytest.raises(AssertionError, match="reached text output"):
        fuzz.shown(["IFNAME: wlan0\x1b[2J"], "message")


def test_the_cli_oracle_catches_a_missing_summary(tmp_path, monkeypatch):
    import nl80211dec.cli

    data = (CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes()[:4000]
    case = Case("cli", {"capture.pcap": data}, [], ["--sae", "capture.pcap"])
    assert fuzz.run_cli(case, tmp_path)["status"] in (0, 1)
    monkeypatch.setattr(nl80211dec.cli, "main", lambda argv: 0)
    with pytest.raises(AssertionError, match="no summary"):
        fuzz.run_cli(case, tmp_path)


def test_damaged_deflate_streams_are_damage_or_not_a_capture():
    seed = (CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes()[:20000]
    packed = gzip.compress(seed, mtime=0)
    for pos in range(10, len(packed) - 8, max(1, len(packed) // 97)):
        broken = bytearray(packed)
        broken[pos] ^= 0x10
        fuzz.exercise(bytes(broken))


def test_iwmon_text_attribute_number_too_large_loses_the_attribute_not_the_file():
    """Campaign finding (case 566, cli target): 'HT Capability Mask: 9999999999948 len 26' in iwmon text raised
    construct's FormatFieldError from textlog/encode.nlattr (a traceback out of main)."""
    import nl80211dec

    text = gzip.decompress((CAPTURES / "iwd-sae-ok" / "iwmon.txt.gz").read_bytes()).decode()
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "HT Capability Mask: 148 len 26" in line)
    head = "".join(lines[:at + 40]).replace("Mask: 148 len 26", "Mask: 9999999999948 len 26")
    cap = nl80211dec.open(head.encode())
    messages = list(cap)
    s = cap.summary
    assert messages and s.records == s.decoded_records + s.malformed_records + s.skipped_records
    assert "9999999999948" not in "".join(str(a) for m in messages for a in m.attrs)
    fuzz.exercise(head.encode())


def test_scale_suite_quick_runs():
    """benchmarks/scale.py builds every large hostile input and runs the CLI on it (tiny N; times not judged)."""
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--quick"], capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    for label in ("F3", "F4", "F5", "F6", "F7a", "F7c", "F7d"):
        assert f"\n{label} " in res.stdout
    assert "bounds hold" in res.stdout and "FAIL" not in res.stdout


def test_cli_keeps_no_per_record_state_without_w(tmp_path, monkeypatch):
    """Scale-suite finding (F7c by path: 61 MiB peak for 30 MB of small records, 27 MiB after): the CLI kept
    every shown record number in a set, needed only for -w, and every verdict in a list (now the distinct ones)."""
    import contextlib
    import io

    import nl80211dec.cli as cli

    made: list[cli._Selection] = []

    class Watched(cli._Selection):
        def __init__(self, **kwargs: bool) -> None:
            super().__init__(**kwargs)
            made.append(self)

    monkeypatch.setattr(cli, "_Selection", Watched)
    capture = str(tmp_path / "head.pcap")
    (tmp_path / "head.pcap").write_bytes(fuzz.head_of((CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes(), 600))
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--sae", capture]) == 0
        assert cli.main(["--cmd", "FRAME", capture]) == 0
        assert cli.main(["--cmd", "FRAME", "-w", str(tmp_path / "frames.pcap"), capture]) == 0
    assert not made[0].records and not made[0].messages  # nothing filtered: nothing kept per message
    assert not made[1].records and any(made[1].messages)  # filtered: one byte per message for the attempts
    assert made[2].records  # -w: the record numbers to write
