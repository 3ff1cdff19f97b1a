"""The hostile-input reproducers of the robustness review (tests/data/robustness/README.md) as regression tests."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nl80211dec.wire.text import escape_str, text_of

DATA = Path(__file__).resolve().parent / "data" / "robustness"
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "nl80211dec", *args], capture_output=True, timeout=120)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("F2-*.pcap")) + sorted(
    p.name for p in DATA.glob("F10-*.pcap")))
@pytest.mark.parametrize("mode", [[], ["--sae"]])
def test_no_string_from_a_capture_reaches_the_terminal_raw(name, mode):
    res = run(*mode, str(DATA / name))
    assert res.returncode in (0, 1) and not res.stderr.startswith(b"Traceback")
    out = res.stdout
    assert not [b for b in out if (b < 32 and b not in (9, 10)) or b == 127], "a control byte reached the output"
    assert not BIDI.search(out.decode("utf-8")), "a bidirectional override reached the output"
    # no line the capture did not cause: one header line per message, one summary line
    text = out.decode()
    assert text.count("\nSummary:") == 1


def test_newline_in_ifname_forges_no_line():
    text = run("-V", str(DATA / "F2-newline-injection-ifname.pcap")).stdout.decode()
    headers = [line for line in text.splitlines() if line.startswith("#") and line.split()[1] in ("<", ">")]
    json_lines = run("--json", str(DATA / "F2-newline-injection-ifname.pcap")).stdout.decode().splitlines()
    messages = [json.loads(x) for x in json_lines if '"kind":"message"' in x]
    assert len(headers) == len(messages)
    assert "wlan0\\x0a> Event" in text  # the newline shows, escaped, inside the IFNAME line


def test_ambiguous_ssids_render_differently():
    for name in ("F10-ssid-escape-ambiguous.pcap", "F10-ssid-escape-non-bmp.pcap"):
        text = run("-V", str(DATA / name)).stdout.decode()
        ssids = re.findall(r'SSID \(52\): (".*")', text)
        assert len(ssids) == 2 and ssids[0] != ssids[1], ssids
        rows = [json.loads(x) for x in run("--json", str(DATA / name)).stdout.decode().splitlines()]
        raws = [a["raw"] for r in rows if r["kind"] == "message" for a in r["attrs"] if a["name"] == "SSID"]
        assert len(set(raws)) == 2  # JSON keeps the exact bytes


def test_json_keeps_hostile_strings_valid():
    for p in sorted(DATA.glob("F2-*.pcap")):
        for line in run("--json", str(p)).stdout.decode().splitlines():
            json.loads(line)


@given(st.binary(max_size=64))
def test_the_escaping_rule_is_unambiguous_and_safe(raw):
    shown = escape_str(text_of(raw))
    assert shown.isprintable() and not BIDI.search(shown)
    # injective: decode the shown form back to the bytes
    assert _unescape(shown) == raw


@given(st.text(max_size=32))
def test_the_escaping_rule_on_any_text(text):
    shown = escape_str(text)
    assert shown.isprintable() and not BIDI.search(shown)
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # lone surrogates are not text a capture gives
        assert _unescape(shown) == text.encode("utf-8", "surrogateescape")


def _unescape(shown: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(shown):
        ch = shown[i]
        if ch != "\\":
            out += ch.encode("utf-8")
            i += 1
            continue
        kind = shown[i + 1]
        if kind == "\\":
            out += b"\\"
            i += 2
        elif kind == "x":
            code = int(shown[i + 2:i + 4], 16)
            out += bytes([code]) if code >= 0x80 else chr(code).encode()
            i += 4
        elif kind == "u":
            out += chr(int(shown[i + 2:i + 6], 16)).encode("utf-8", "surrogatepass")
            i += 6
        else:
            out += chr(int(shown[i + 2:i + 10], 16)).encode("utf-8")
            i += 10
    return bytes(out)


def test_dataframe_of_a_timestamp_pandas_cannot_hold():
    pytest.importorskip("pandas")
    import nl80211dec

    cap = nl80211dec.open(DATA / "F8-dataframe-out-of-bounds-time.pcapng")
    df = cap.to_dataframe()
    assert df["time"].isna().sum() >= 1 and df["time_s"].max() > 1e12  # NaT, and the seconds kept
    cap.attempts_dataframe()


def test_a_hostile_record_of_huge_bitmaps_stays_small():
    """F6: one GET_WIPHY record of 15 EXT_FEATURES bitmaps of 65,528 bytes each."""
    import tracemalloc

    import nl80211dec
    from nl80211dec.nl80211 import enums
    from nl80211dec.testing.writers import genl_message, nl_message, nlattr, pcap_bytes, sll_record

    newfamily = nl_message(0x10, bytes([1, 2, 0, 0]) + nlattr(1, b"\x1c\x00") + nlattr(2, b"nl80211\x00"),
                           seq=1, pid=1)
    ext = {v: k for k, v in enums.ATTRS.items()}["EXT_FEATURES"]
    wiphy = genl_message(0x1c, 3, b"".join(nlattr(ext, b"\xff" * 65528) for _ in range(15)), seq=2, pid=1)
    pcap = pcap_bytes([(0.0, sll_record(newfamily)), (0.1, sll_record(wiphy))], linktype=113)
    tracemalloc.start()
    lines = [len(m.attrs) for m in nl80211dec.open(pcap)]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert lines and peak < 64 << 20, peak


def test_a_pipe_is_spooled_not_held_and_decodes_as_the_file(tmp_path):
    """F7c: standard input streams (first lines before the writer is done) and later passes read the spool."""
    import io

    from nl80211dec.capture.spool import PipeSpool

    path = Path(__file__).resolve().parent.parent / "captures" / "wpas-sae-ok" / "nlmon.pcap"
    data = path.read_bytes()
    from_file = run("--sae", str(path)).stdout
    piped = subprocess.run([sys.executable, "-m", "nl80211dec", "--sae", "-"], input=data, capture_output=True)
    assert piped.stdout == from_file
    spool = PipeSpool(io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]
    assert spool.read(10) == data[:10] and spool.seek(0) == 0 and spool.read() == data
    spool.seek(5)
    assert spool.read(5) == data[5:10]


def test_damaged_gzip_is_one_line_or_damage_never_a_traceback(tmp_path):
    """F1: a corrupt deflate stream at the start is 'not a capture' (2); in the middle it is damage (1), and
    everything before it, the attempts and the summary are still printed; a batch goes on past it."""
    head = run("--sae", str(DATA / "F1-corrupt-deflate.pcap.gz"))
    assert head.returncode == 2 and b"compressed stream is corrupt" in head.stderr and b"Traceback" not in head.stderr
    mid = run("--sae", str(DATA / "F1-corrupt-deflate-midstream.pcap.gz"))
    assert mid.returncode == 1 and b"Traceback" not in mid.stderr
    assert b"Summary: " in mid.stdout and b"DAMAGED" in mid.stdout
    air = run("--sae", str(DATA / "F1-good.pcap"), "--air", str(DATA / "F1-air-corrupt-deflate.pcap.gz"))
    assert air.returncode == 2 and b"Traceback" not in air.stderr and air.stderr.count(b"\n") == 1
    import shutil

    for name, src in (("a.pcap", "F1-good.pcap"), ("b.pcap.gz", "F1-corrupt-deflate-midstream.pcap.gz"),
                      ("c.pcap", "F1-good.pcap")):
        shutil.copy(DATA / src, tmp_path / name)
    for jobs in ("1", "2"):
        batch = run("--sae", "--jobs", jobs, str(tmp_path))
        assert batch.returncode == 1 and batch.stdout.count(b"Summary: ") == 3 and b"Traceback" not in batch.stderr
    import nl80211dec

    with pytest.raises(nl80211dec.NotACaptureError):
        nl80211dec.open(DATA / "F1-corrupt-deflate.pcap.gz")


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("F9-*.pcapng")))
def test_unreadable_pcapng_packet_blocks_are_counted_records(name):
    """F9: a packet block nobody can read is a record (malformed), said in a note, and the exit status is 1."""
    import nl80211dec

    res = run("--sae", str(DATA / name))
    assert res.returncode == 1
    cap = nl80211dec.open(DATA / name)
    list(cap)
    s = cap.summary
    assert s.records == s.decoded_records + s.malformed_records + s.skipped_records
    assert s.malformed_records == 3 and any("could not be read" in n for n in s.notes)
