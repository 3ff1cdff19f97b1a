"""What mail clients and people do to a posted iwmon log, and what the reader makes of it.

Wrapped lines, ``>`` quoting, CRLF, blank lines, a trimmed start or end and
foreign lines in between must give the same records as the clean text, or
name the lines they could not place.  Random and truncated text never raises.
"""

from __future__ import annotations

import gzip
import io
import string
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nl80211dec.capture.writer import pcap_bytes
from nl80211dec.pipeline import Decoder
from nl80211dec.textlog import encode
from nl80211dec.textlog.iwmon import IwmonTextReader, looks_like_iwmon_text, sniff
from nl80211dec.textlog.iwmon_lines import LineSplitter, blocks

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "captures" / "real-brcmfmac" / "logs"
DEC9 = REAL / "2024-12-09_KeithG_Driver_7.45.286_wpa3_connect.iwmon.txt.gz"


def _sample() -> list[str]:
    """The SAE part of a real log (CONNECT to the -52 answer), a few hundred lines."""
    lines = gzip.decompress(DEC9.read_bytes()).decode().splitlines()
    start = next(i for i, t in enumerate(lines) if t.startswith("< Request: Connect"))
    end = next(i for i, t in enumerate(lines) if "Invalid exchange" in t and i > start) + 1
    return ["Wireless monitor ver 3.1", *lines[start:end]]


SAMPLE = _sample()


def records(text: str | bytes) -> list[tuple[int, bytes, float]]:
    reader = IwmonTextReader(text.encode() if isinstance(text, str) else text)
    return [(r.linktype, r.data, r.timestamp) for r in reader]


def read(text: str) -> IwmonTextReader:
    reader = IwmonTextReader(text.encode())
    reader.out = list(reader)  # type: ignore[attr-defined]
    return reader


CLEAN = records("\n".join(SAMPLE) + "\n")


def test_sample_is_the_sae_exchange() -> None:
    assert len(CLEAN) > 12
    reader = read("\n".join(SAMPLE))
    assert reader.unplaced == [] and reader.version == "3.1"


def wrap(line: str, width: int) -> list[str]:
    """Break a line as a mail client does: at the last space before ``width``, the space eaten."""
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        if cut <= 0 or not line[:cut].strip():
            cut = width
        out.append(line[:cut].rstrip())
        line = line[cut:].lstrip(" ")
    out.append(line)
    return out


@pytest.mark.parametrize("width", [72, 76, 78])
def test_wrapped_lines_give_the_same_records(width: int) -> None:
    wrapped = [part for line in SAMPLE for part in wrap(line, width)]
    assert len(wrapped) > len(SAMPLE)
    reader = IwmonTextReader("\n".join(wrapped).encode())
    assert [(r.linktype, r.data, r.timestamp) for r in reader] == CLEAN
    assert reader.unplaced == []


@pytest.mark.parametrize("prefix", ["> ", "> > ", ">"])
def test_quoted_text_gives_the_same_records(prefix: str) -> None:
    quoted = "\n".join(prefix + line for line in SAMPLE)
    reader = IwmonTextReader(quoted.encode())
    assert [(r.linktype, r.data, r.timestamp) for r in reader] == CLEAN
    assert reader.unplaced == []


def test_crlf_blank_lines_and_trailing_spaces_change_nothing() -> None:
    text = "\r\n".join(line + ("   " if i % 3 else "") + ("\r\n" if i % 7 == 0 else "")
                       for i, line in enumerate(SAMPLE))
    assert records(text) == CLEAN


def test_trimmed_start_unplaces_the_headless_lines() -> None:
    second = next(i for i, t in enumerate(SAMPLE) if t.startswith(("<", ">")) and i > 2)
    cut = SAMPLE[3:]  # the first message loses its header and first lines
    reader = read("\n".join(cut))
    headless = second - 3
    assert reader.unplaced_count == headless
    assert [n for n, _ in reader.unplaced] == list(range(1, headless + 1))
    got = [(r.linktype, r.data, r.timestamp) for r in reader.out]
    assert len(got) == len(CLEAN) - 1
    # the answer to the cut request cannot echo it: it echoes a bare header, everything else is equal
    assert [g for g, c in zip(got, CLEAN[1:], strict=True) if g != c] == [got[0]]
    assert len(got[0][1]) == 16 + 36 and any("not in the text" in s for s in reader.fidelity)


def test_trimmed_end_keeps_everything_before_the_cut() -> None:
    last = max(i for i, t in enumerate(SAMPLE) if t.startswith("> Frame") or t.startswith("> Event: Frame"))
    reader = read("\n".join(SAMPLE[: last + 6]))  # the last frame event is cut in its hexdump
    got = [(r.linktype, r.data, r.timestamp) for r in reader.out]
    assert got[:-1] == CLEAN[: len(got) - 1]
    assert reader.short >= 1 or len(got) < len(CLEAN)
    half = read("\n".join(SAMPLE[:last]) + "\n> Event: Fra")  # a header cut in half
    assert half.unplaced[-1][1] == "> Event: Fra"


def test_foreign_lines_are_unplaced_with_their_numbers() -> None:
    noise = ["pi@raspberrypi:~ $ sudo iwmon", "here is the log you asked for",
             "/sys/class/net/nlmon/uevent do not exist"]
    lines = [noise[0], noise[1], *SAMPLE[:10], noise[2], *SAMPLE[10:]]
    reader = read("\n".join(lines))
    assert [(r.linktype, r.data, r.timestamp) for r in reader.out] == CLEAN
    assert reader.unplaced == [(1, noise[0]), (2, noise[1])]
    assert reader.skipped["iwmon notice line"] == 2  # the version line and the sysfs notice


def test_sources_path_bytes_files_and_gzip(tmp_path: Path) -> None:
    text = "\n".join(SAMPLE) + "\n"
    plain, packed = tmp_path / "log.txt", tmp_path / "log.txt.gz"
    plain.write_text(text)
    packed.write_bytes(gzip.compress(text.encode()))
    for source in (plain, str(packed), text.encode(), gzip.compress(text.encode()), io.BytesIO(text.encode()),
                   io.StringIO(text)):
        reader = IwmonTextReader(source)
        assert [(r.linktype, r.data, r.timestamp) for r in reader] == CLEAN
    reader = IwmonTextReader(plain)
    first = next(iter(reader))
    assert first.line == 2 and first.offset == len(SAMPLE[0]) + 1 and first.number == 1


def test_position_and_record_fields() -> None:
    text = ("\n".join(SAMPLE) + "\n").encode()
    reader = IwmonTextReader(text)
    recs = list(reader)
    assert reader.position == len(text)
    assert [r.number for r in recs] == list(range(1, len(recs) + 1))
    assert all(r.orig_len == len(r.data) for r in recs)
    assert all(text[r.offset:].startswith(SAMPLE[r.line - 1].encode()) for r in recs)
    assert reader.damage is None and reader.families == {"nl80211": 0x1C}


# -- sniffing ---------------------------------------------------------------------

def test_sniff_tells_captures_from_iwmon_text() -> None:
    head = ("\n".join(SAMPLE)).encode()[:4096]
    assert sniff(head) == "iwmon-text" and looks_like_iwmon_text(head)
    assert looks_like_iwmon_text("\n".join(SAMPLE[1:8]).encode())  # no version line, a few messages
    assert sniff(pcap_bytes([(0.0, b"\0" * 20)], linktype=253)) == "pcap"
    assert sniff(b"\x0a\x0d\x0d\x0a" + bytes(24)) == "pcapng"
    assert sniff(gzip.compress(head)) == "gzip" and not looks_like_iwmon_text(gzip.compress(head))
    jsonl = b'{"index": 0, "role": "request", "cmd": "CONNECT"}\n' * 20
    journal = (b"Dec 09 08:30:12 pi iwd[612]: src/netdev.c:netdev_connect_event() \n"
               b"Dec 09 08:30:12 pi kernel: brcmfmac: brcmf_cfg80211_external_auth\n") * 20
    for other in (jsonl, journal, b"", b"hello\n", bytes(range(256))):
        assert sniff(other) is None and not looks_like_iwmon_text(other)


# -- properties ----------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
IWMONISH = st.lists(st.sampled_from(SAMPLE[:120] + ["> ", "<", "    ", "        00 11", "...", "\r", ""]),
                    max_size=60).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TEXT, IWMONISH, st.binary(max_size=300)))
def test_random_text_never_raises_and_every_line_is_accounted(text) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    reader = IwmonTextReader(data)
    recs = list(reader)
    decoded = list(Decoder(reader.families).decode_all(recs))
    assert len(decoded) >= len(recs)
    assert reader.unplaced_count >= len(reader.unplaced)
    assert reader.fidelity


@settings(max_examples=80, deadline=None)
@given(st.integers(0, len("\n".join(SAMPLE))), st.integers(0, 30), st.data())
def test_truncated_and_cut_text_never_raises(end: int, drops: int, data) -> None:
    lines = "\n".join(SAMPLE)[:end].splitlines()
    for _ in range(min(drops, len(lines))):
        lines.pop(data.draw(st.integers(0, len(lines) - 1)))
    reader = IwmonTextReader("\n".join(lines).encode())
    list(Decoder(reader.families).decode_all(reader))


# -- value encoders: build -> parse round trips ------------------------------------------

@given(st.sampled_from([1, 2, 4, 8]), st.data())
def test_printed_integers_round_trip(size: int, data) -> None:
    value = data.draw(st.integers(0, (1 << 8 * size) - 1))
    assert encode.printed_uint(str(value), f"{value:0{2 * size}x}") == value.to_bytes(size, "little")
    assert encode.printed_uint(str(value + 1), f"{value:0{2 * size}x}") is None  # the spellings disagree


@given(st.sampled_from(["s8", "s16", "s32", "s64"]), st.data())
def test_signed_integers_round_trip(kind: str, data) -> None:
    bits = {"s8": 8, "s16": 16, "s32": 32, "s64": 64}[kind]
    value = data.draw(st.integers(-(1 << bits - 1), (1 << bits - 1) - 1))
    assert encode.sint(value, kind) == value.to_bytes(bits // 8, "little", signed=True)


@given(st.integers(0, 0xFFFFFFFF), st.sampled_from(["CCMP", "unknown", "SAE/PMKSA caching SHA256"]))
def test_suite_text_round_trips(value: int, name: str) -> None:
    a, b, c, t = value >> 24, value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF
    text = f"{name} ({a:02x}:{b:02x}:{c:02x}) suite  {t:02x}"
    assert encode.suite(text) == struct.pack("<I", value)


def test_odd_akm_text_gives_the_exact_bytes() -> None:
    assert encode.suite("unknown (08:ac:0f) suite 00 (unknown)") == bytes.fromhex("000fac08")
    assert encode.suite("SAE/PMKSA caching SHA256; RSNA PMKSA caching SHA256/mesh peering exchange "
                        "(00:0f:ac) suite  08") == bytes.fromhex("08ac0f00")


def iwmon_hexdump(data: bytes, indent: int = 8) -> list[str]:
    """Hexdump lines laid out as iwmon prints them (16 bytes, two spaces, the printable column)."""
    out = []
    for i in range(0, len(data), 16):
        chunk = data[i:i + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk).ljust(47)
        text = "".join(chr(b) if chr(b) in string.printable[:95] else "." for b in chunk).ljust(16)
        out.append(" " * indent + hexes + "  " + text)
    return out


@given(st.binary(max_size=300))
def test_hexdumps_round_trip(data: bytes) -> None:
    lines = [line.strip() for line in iwmon_hexdump(data)]
    assert encode.hexdump(lines) == data
    assert encode.hexdump([line.rstrip() for line in lines]) == data  # trailing spaces stripped by a mailer


@given(st.binary(min_size=6, max_size=6))
def test_macs_round_trip(raw: bytes) -> None:
    assert encode.mac(":".join(f"{b:02X}" for b in raw)) == raw
    assert encode.mac(":".join(f"{b:02x}" for b in raw)) == raw


@given(st.binary(max_size=200))
def test_binary_attribute_lines_rebuild_their_bytes(data: bytes) -> None:
    """A whole message printed with a binary attribute (as iwmon does) comes back byte for byte."""
    text = "\n".join([f"> Event: Frame (0x3b) len {8 + len(data)}                                 1.000000",
                      f"    Auth Data: 156 len {len(data)}", *iwmon_hexdump(data)])
    (rec,) = IwmonTextReader(text.encode())
    (msg,) = Decoder({"nl80211": 0x1C}).decode_all([rec])
    assert msg.attrs[0].num == 156 and msg.attrs[0].raw == data


def test_blocks_survive_lines_without_headers() -> None:
    splitter = LineSplitter()
    items = list(blocks(splitter.lines([(1, 0, "    Interface Index: 3 (0x00000003)"), (2, 9, "x")]), splitter))
    assert [type(i).__name__ for i in items] == ["Stray", "Stray"]
