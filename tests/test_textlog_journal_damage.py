"""Mail damage and hostile input: CRLF, quoting, wrapping, cut files, random bytes, escapes.

The damaged inputs are made from a real journal and a real lab log, the way
mail clients damage them (lines wrapped at 72 columns before a long word,
``> `` quoting, CRLF), and must give the same events.  Random bytes never
raise, and no control character or ANSI escape reaches an event's text.
"""

from __future__ import annotations

import gzip
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from nl80211dec.textlog.journal import MAX_LINE, looks_like_log, read_log

from .test_textlog_journal_data import lab_log, real_journal

NAME = "2024-12-18_KeithG_failed_connect"


def read_all(source, **kw):
    read = read_log(source, **kw)
    events = list(read.events)
    assert read.finished
    assert sum(read.per_source.values()) + read.unplaced_count + read.blank + read.joined == read.lines
    return events, read


def shape(events) -> list:
    return [(e.kind, e.source, e.time, e.fields) for e in events]


def text_of(path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8", "surrogateescape")


def test_crlf_and_quoting_change_nothing():
    text = text_of(real_journal(NAME))
    want, _ = read_all(text, year=2024)
    for damaged in (text.replace("\n", "\r\n"), "".join("> " + line for line in text.splitlines(True)),
                    "".join(">> " + line for line in text.replace("\n", "\r\n").splitlines(True))):
        got, read = read_all(damaged, year=2024)
        assert shape(got) == shape(want)
        assert read.unplaced_count == 0


def mail_wrap(text: str, width: int = 72) -> str:
    """Wrap like a mail client: at the last space before the width, never inside a word."""
    out = []
    for line in text.splitlines():
        out += textwrap.wrap(line, width=width, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(out) + "\n"


def test_wrapped_lines_are_joined_back():
    text = text_of(real_journal(NAME))
    want, _ = read_all(text, year=2024)
    got, read = read_all(mail_wrap(text), year=2024)
    assert read.joined > 1000 and read.unplaced_count == 0
    assert [(e.kind, e.fields) for e in got] == [(e.kind, e.fields) for e in want]
    quoted = "".join("> " + line for line in mail_wrap(text, 70).splitlines(True))
    got, _ = read_all(quoted, year=2024)
    assert [(e.kind, e.fields) for e in got] == [(e.kind, e.fields) for e in want]


def test_a_line_broken_right_after_its_prefix():
    """Seen in the thread: 'Dec 22 10:22:53 host iwd[2120]:' alone, the message on the next line."""
    text = ("Dec 22 10:22:53 runeaudio iwd[2120]:\n"
            "src/netdev.c:netdev_connect_common() Skipping SAE by using PMKSA cache\n"
            "Dec 22 10:22:53 runeaudio kernel: ieee80211 phy0:\n"
            "brcmf_cfg80211_external_auth: External authentication failed: status=1\n\n"
            "As you can see, it never gets a DHCP address.\n")
    events, read = read_all(text, year=2024)
    assert [(e.kind, e.line, e.fields) for e in events] == [("pmksa_used", 1, {}),
                                                             ("external_auth_status", 3, {"status": 1})]
    assert events[0].text.startswith("src/netdev.c")
    assert read.joined == 2 and read.unplaced == [(6, "As you can see, it never gets a DHCP address.")]


def test_lab_log_wrapped_and_crlf():
    text = text_of(lab_log("wpas-sae-wrongpass", "client.log"))
    want, _ = read_all(text)
    got, read = read_all(mail_wrap(text).replace("\n", "\r\n"))
    assert read.joined > 0
    wanted = [(e.kind, e.fields) for e in want if e.kind != "sae_commit_tx" and e.kind != "sae_confirm_tx"]
    assert [(e.kind, e.fields) for e in got if e.kind not in ("sae_commit_tx", "sae_confirm_tx")] == wanted
    # an SAE body in a hex dump wrapped over lines is joined back too
    assert [e.kind for e in got if e.kind.endswith("_tx")] == [e.kind for e in want if e.kind.endswith("_tx")]


def test_cut_files_and_cut_gzip():
    data = real_journal(NAME).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    full, _ = read_all(data, year=2024)
    for cut in (1, 17, len(data) // 3, len(data) // 2 + 5, len(data) - 7):
        head, read = read_all(data[:cut], year=2024)
        assert shape(head) == shape(full)[: len(head)] or shape(head[:-1]) == shape(full)[: len(head) - 1]
        tail, read = read_all(data[cut:], year=2024)  # a trimmed start: the first line may be a fragment
        assert read.unplaced_count <= 1
    packed = gzip.compress(data)
    events, read = read_all(packed[: len(packed) // 2], year=2024)
    assert read.damage is not None and 0 < len(events) < len(full)
    assert shape(events) == shape(full)[: len(events)]


def test_control_characters_ansi_and_long_lines():
    lines = [
        "Dec 09 18:32:55 host iwd[1]: \x1b[1;31mevent: state, old: a, new: b\x1b[0m",
        "Dec 09 18:32:55 host iwd[1]: event: connect-info, External Auth to SSID: \x00\x07\x1b]0;pwned\x07\u202e"
        "evil, bssid: 02:00:00:00:00:00",
        "Dec 09 18:32:55 host kernel: brcmfmac: brcmf_fil_cmd_data Firmware error: BCME_BADLEN (-" + "9" * 5000 + ")",
        "Dec 09 18:32:55 host iwd[1]: " + "A" * (MAX_LINE * 2),
        "\x00\x01\x02 binary junk \xff",
    ]
    events, read = read_all("\n".join(lines) + "\n", year=2024)
    assert [e.kind for e in events] == ["state_change", "external_auth_request"]
    assert events[0].fields == {"old": "a", "new": "b"}
    for e in events:
        assert e.text.isprintable() and "\x1b" not in e.text
    assert "\\x00\\x07" in events[1].text and "\\u202e" in events[1].text
    assert events[1].fields["ssid"].startswith("\x00")  # the value keeps the exact text; text shows it escaped
    assert read.overlong == 1 and read.unplaced_count == 1
    assert all(text.isprintable() for _, text in read.unplaced)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data):
    looks_like_log(data)
    for source in (data, gzip.compress(data)[: max(1, len(data) // 2)]):
        events, read = read_all(source)
        for e in events:
            assert e.text.isprintable()
        assert all(text.isprintable() for _, text in read.unplaced)


LINE_PIECES = st.sampled_from([
    "Dec 09 18:32:55 host iwd[1]: ", "Dec 09 18:32:55 host kernel: ", "1733748612.123456: ", "[   12.345678] ",
    "2024-12-09T18:32:55.123456+0100 host wpa_supplicant[3]: ", "> ", "{\"MESSAGE\": ", "-- Boot ",
    "[SAE]: Received frame transaction=", "CTRL-EVENT-DISCONNECTED bssid=", "02:00:00:00:00:00", "status=",
    "brcmf_fweh_event_worker event DEAUTH_IND (6) ifidx 0 bsscfg 0 addr 02:00:00:00:00:00",
    "brcmf_fweh_event_worker   version 2 flags 0 status 0 reason ", "auth_data - hexdump(len=4): 01 00",
    "CMD_FRAME - hexdump(len=30): b0 00", " ", "\t", "\r", "\n", "\x1b[", "\x00", "9" * 30, "1", "2", "ü",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINE_PIECES, max_size=60))
def test_log_like_garbage_never_raises(pieces):
    events, read = read_all("".join(pieces).encode("utf-8", "surrogateescape"))
    for e in events:
        assert e.text.isprintable()
        assert e.clock in ("wall", "monotonic", "none")
