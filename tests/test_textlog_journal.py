"""Journals as typed evidence: the real Raspberry Pi journals, every journal format, the API and the vocabulary.

The expected events of the real journals are the key lines of
``captures/real-brcmfmac/derived/*journal-keylines.txt`` (line numbers are the
journal's): each one comes out as the kind and fields below, or, where the
line repeats another one's fact, as nothing (said next to it).
"""

from __future__ import annotations

import gzip
import io
import re
import string

import pytest

from nl80211dec.textlog import patterns
from nl80211dec.textlog.journal import LogEvent, clock_offset, looks_like_log, read_log
from nl80211dec.textlog.log_rows import INT_FIELDS

from .test_textlog_journal_data import FORMATS, REAL_JOURNALS, REAL_YEAR, REPO, SHARED, convert, real_journal

AP = "d8:3a:dd:60:a3:0c"
DUPLICATE = None  # the key line repeats the fact of the line after it: no event of its own

KEY_EVENTS = {
    "2024-12-12_KeithG_iwd_debug_connect": [  # Dec 9: full SAE, then auth_status iovar 44 bytes -> -52
        (24, "state_change", {"new": "connecting"}), (27, "state_change", {"new": "configuration"}),
        (29, "fw_iovar", {"name": "wpaie", "len": 22}), (49, "fw_iovar", {"name": "auth", "len": 4}),
        (118, DUPLICATE, {}),  # "Unicast notification External Auth(127)": line 119 says it with the SSID
        (119, "external_auth_request", {"ssid": "deskSAE"}),
        (122, "fw_event", {"event": "EXT_AUTH_REQ", "code": 187}),
        (170, "external_auth_frame_tx", {}), (180, "fw_mgmt_tx", {"len": 104}),
        (194, "fw_event", {"event": "MGMT_FRAME_TXSTATUS", "status": 0}), (199, "fw_mgmt_tx_status", {"ack": True}),
        (202, "fw_event", {"event": "EXT_AUTH_FRAME_RX"}), (218, "external_auth_frame_tx", {}),
        (229, "fw_mgmt_tx", {"len": 40}), (239, "external_auth_status", {"status": 0}),
        (241, "external_auth_error", {"errno": -52, "reason_text": "Invalid exchange"}),
        (246, "fw_event", {"event": "MGMT_FRAME_TXSTATUS"}), (251, "fw_mgmt_tx_status", {"ack": True}),
        (254, "fw_event", {"event": "EXT_AUTH_FRAME_RX"}), (271, "fw_iovar", {"name": "auth_status", "len": 44}),
        (280, "fw_error", {"error": "BCME_BADLEN", "code": -24}), (281, "external_auth_error", {"errno": -52}),
        (551, "state_change", {"new": "ready"}), (552, "ip_address", {"address": "169.254.223.1", "apipa": True}),
    ],
    "2024-12-18_KeithG_failed_connect": [  # SAE ok, CONNECT 0, no EAPoL 2/4, AP deauth reason 15
        (1330, "state_change", {"new": "connecting"}), (1334, "fw_iovar", {"name": "wpaie", "len": 22}),
        (1340, "state_change", {"new": "configuration"}), (1355, "fw_iovar", {"name": "auth", "len": 4}),
        (1466, DUPLICATE, {}), (1467, "external_auth_request", {"ssid": "deskSAE"}),
        (1469, "fw_event", {"event": "EXT_AUTH_REQ"}), (1477, "external_auth_frame_tx", {}),
        (1487, "fw_mgmt_tx", {"len": 104}), (1501, "fw_event", {"event": "MGMT_FRAME_TXSTATUS"}),
        (1506, "fw_mgmt_tx_status", {"ack": True}), (1509, "fw_event", {"event": "EXT_AUTH_FRAME_RX"}),
        (1525, "external_auth_frame_tx", {}), (1536, "fw_mgmt_tx", {"len": 40}),
        (1550, "fw_event", {"event": "MGMT_FRAME_TXSTATUS"}), (1555, "fw_mgmt_tx_status", {"ack": True}),
        (1558, "fw_event", {"event": "EXT_AUTH_FRAME_RX"}), (1575, "fw_iovar", {"name": "auth_status", "len": 60}),
        (1583, "external_auth_status", {"status": 0}), (1589, "fw_event", {"event": "LINK", "code": 16}),
        (1597, "fw_event", {"event": "SET_SSID", "code": 0}), (1601, "fw_connect_done", {}),
        (1665, "connect_event", {}),
        (1674, DUPLICATE, {}),  # connman {newlink}: the link state, not the connection's
        (1767, "fw_event", {"event": "DEAUTH_IND", "code": 6, "reason": 15}),
        (1771, "fw_connect_done", {}), (1773, "fw_link_down", {}),
        (1792, "fw_event", {"event": "LINK", "reason": 2}),
        (1814, "disconnected", {"reason": 15, "from_ap": True, "locally_generated": False}),
        (1817, "disconnect_info", {"reason": 15}), (1822, "state_change", {"new": "disconnected"}),
        (1823, "state_change", {"new": "autoconnect_quick"}), (2237, DUPLICATE, {}),
        (2260, "state_change", {"new": "disconnect"}), (2261, "state_change", {"new": "idle"}),
    ],
    "2024-12-29_KeithG_failed_DHCP": [  # Pi5: PMKID in the join, iwd reports status 1, APIPA
        (4, "state_change", {"new": "association"}), (9, "state_change", {"new": "connecting"}),
        (10, "state_change", {"new": "configuration"}), (12, "fw_iovar", {"name": "wpaie", "len": 40}),
        (37, "fw_iovar", {"name": "auth", "len": 4}), (154, "external_auth_request", {"ssid": "deskSAE"}),
        (157, "fw_event", {"event": "EXT_AUTH_REQ"}), (166, "external_auth_status", {"status": 1}),
        (167, "fw_iovar", {"name": "auth_status", "len": 60}), (545, "state_change", {"new": "ready"}),
        (627, "ip_address", {"address": "169.254.34.231", "apipa": True}),
    ],
    "2025-01-25_KeithG_iwd_apipa": [  # Skipping SAE by using PMKSA cache -> status 1 -> APIPA
        (1, "state_change", {"new": "association"}),
        (16, "pmksa_found", {"pmkid": "dc1225e288927453b9879a01d47d7af5"}), (17, "pmksa_used", {}),
        (22, "state_change", {"new": "connecting"}), (24, "state_change", {"new": "configuration"}),
        (25, DUPLICATE, {}), (26, "external_auth_request", {"ssid": "deskSAE"}),
        (27, "external_auth_status", {"status": 1}), (28, "state_change", {"new": "ready"}),
        (29, "ip_address", {"address": "169.254.67.142", "apipa": True}),
    ],
    "2025-01-25_KeithG_iwd_dhcp": [  # success, DHCP address
        (1, "state_change", {"new": "association"}), (20, "state_change", {"new": "connecting"}),
        (22, "state_change", {"new": "configuration"}), (23, DUPLICATE, {}),
        (24, "external_auth_request", {"ssid": "deskSAE"}), (25, "external_auth_frame_tx", {}),
        (27, "external_auth_frame_tx", {}), (30, "external_auth_status", {"status": 0}), (33, "connect_event", {}),
        (41, "handshake_start", {}),
        (49, DUPLICATE, {}),  # "Adding PMKSA expiration": the PMKSA is added at line 62
        (61, DUPLICATE, {}),  # "Caching PMKSA for": line 62 names the PMKID
        (62, "pmksa_added", {"pmkid": "8603031eecbf347ff3bf5e9948c98e8f"}),
        (66, "state_change", {"new": "connecting (netconfig)"}), (72, "state_change", {"new": "connected"}),
        (74, "ip_address", {"address": "192.168.5.225", "apipa": False}), (76, "state_change", {"new": "ready"}),
    ],
}


def events_of(source, **kw) -> tuple[list[LogEvent], object]:
    read = read_log(source, **kw)
    events = list(read.events)
    assert read.finished
    return events, read


@pytest.mark.parametrize("name", REAL_JOURNALS)
def test_real_journal_key_lines(name):
    events, read = events_of(real_journal(name), year=REAL_YEAR[name])
    by_line = {e.line: e for e in events}
    for line, kind, fields in KEY_EVENTS[name]:
        event = by_line.get(line)
        if kind is DUPLICATE:  # said again by another line: no event, or one the sequencer drops (logwords.prepare)
            assert event is None or event.kind == "external_auth_notify", (line, event)
            continue
        assert event is not None, f"{name}:{line}: no event (want {kind})"
        assert event.kind == kind, (line, event)
        for key, value in fields.items():
            assert event.fields.get(key) == value, (line, key, event.fields)
    assert read.unplaced_count == 0 and read.formats.keys() == {"short"}
    assert read.per_source["iwd"] > 0


@pytest.mark.parametrize("name", REAL_JOURNALS)
def test_real_journal_keylines_file_lists_what_the_test_expects(name):
    """The derived key lines (when present) are exactly the lines the test above checks."""
    derived = [REPO / "captures" / "real-brcmfmac" / "derived" / f"{name}.journal-keylines.txt",
               SHARED / "real-brcmfmac" / "derived" / f"{name}.journal-keylines.txt"]
    path = next((p for p in derived if p.is_file()), None)
    if path is None:
        pytest.skip(f"derived/{name}.journal-keylines.txt not copied yet")
    numbers = [int(line.split(":", 1)[0]) for line in path.read_text().splitlines() if line.strip()]
    assert numbers == [line for line, _, _ in KEY_EVENTS[name]]


def test_real_journal_facts():
    """What FACTS.md says of the real failures, as the sequencer will read it."""
    events, _ = events_of(real_journal("2024-12-12_KeithG_iwd_debug_connect"), year=2024)
    kernel_errors = [e for e in events if e.kind == "external_auth_error" and e.source == "kernel"]
    assert [e.fields["errno"] for e in kernel_errors] == [-52]
    assert kernel_errors[0].text.startswith("ieee80211 phy0: brcmf_cfg80211_external_auth: auth_status iovar")
    events, _ = events_of(real_journal("2024-12-29_KeithG_failed_DHCP"), year=2024)
    [status] = [e for e in events if e.kind == "external_auth_status"]
    assert (status.source, status.fields["status"]) == ("kernel", 1)
    events, _ = events_of(real_journal("2024-12-18_KeithG_failed_connect"), year=2024)
    [deauth] = [e for e in events if e.kind == "fw_event" and e.fields["event"] == "DEAUTH_IND"]
    assert deauth.fields["reason"] == 15 and deauth.fields["addr"] == AP
    [gone] = [e for e in events if e.kind == "disconnected"]
    assert gone.time - deauth.time == 0 and gone.bssid is None and gone.fields["from_ap"] is True
    events, _ = events_of(real_journal("2025-01-25_KeithG_iwd_apipa"), year=2025)
    kinds = [e.kind for e in events]
    assert kinds.index("pmksa_used") < kinds.index("external_auth_request") < kinds.index("external_auth_status")
    assert "external_auth_frame_tx" not in kinds  # no commit: iwd answered from its PMKSA cache


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_journal_format_gives_the_same_events(fmt):
    """Converted from a real -o short journal (see test_textlog_journal_data.convert): same events, right times."""
    name = "2024-12-18_KeithG_failed_connect"
    original_text = _text(real_journal(name))
    original, _ = events_of(original_text, year=2024)
    converted, where = convert(original_text, fmt, 2024)
    events, read = events_of(converted, year=2024)
    keep = {"dmesg": "kernel", "bare-iwd": "iwd"}.get(fmt)
    want = [e for e in original if keep is None or e.source == keep]
    assert [(e.kind, e.source, e.fields) for e in events] == [(e.kind, e.source, e.fields) for e in want]
    assert read.unplaced_count == 0
    assert set(read.formats) == {{"bare-iwd": "bare"}.get(fmt, fmt)}
    for event, wanted in zip(events, want, strict=True):
        number, expected_time = where[event.line]
        assert number == wanted.line
        if expected_time is None:
            assert event.time is None and event.clock == "none"
        else:
            assert event.time == pytest.approx(expected_time, abs=1e-6)
            assert event.clock == ("monotonic" if fmt in ("short-monotonic", "dmesg") else "wall")
    if fmt == "short":
        assert read.year == 2024 and not read.year_guessed


def test_short_format_year_is_guessed_and_follows_new_year():
    text = ("Dec 31 23:59:59 h iwd[1]: event: state, old: disconnected, new: connecting\n"
            "Jan 01 00:00:01 h iwd[1]: event: state, old: connecting, new: connected\n")
    events, read = events_of(text, year=2024)
    assert events[1].time - events[0].time == 2.0
    assert read.year == 2025  # the year rolled over with the log
    _, guessed = events_of(text)
    assert guessed.year_guessed


def test_bare_and_t_logs_name_their_daemon_from_content():
    events, read = events_of(b"1733748612.123456: wlan0: CTRL-EVENT-CONNECTED - Connection to "
                             b"02:00:00:00:00:00 completed [id=0 id_str=]\n")
    assert (events[0].kind, events[0].source, events[0].clock, read.daemon) == (
        "connected", "wpa_supplicant", "wall", "wpa_supplicant")
    assert events[0].time == pytest.approx(1733748612.123456)
    assert events[0].iface == "wlan0" and events[0].bssid == events[0].peer == "02:00:00:00:00:00"
    hostapd = "1733748612.000001: wlan0: AP-ENABLED\n1733748613.5: SAE: Confirm mismatch\n"
    events, _ = events_of(hostapd)
    assert [(e.kind, e.side) for e in events] == [("ap_enabled", "ap"), ("sae_confirm_mismatch", "ap")]
    events, _ = events_of(hostapd, daemon="wpa_supplicant")  # the caller knows better
    assert [(e.kind, e.side) for e in events] == [("sae_confirm_mismatch", "station")]
    iwd = "Wireless daemon version 3.8\n[SAE]: Sending Confirm to 02:00:00:00:00:00 sc=1\n"
    events, read = events_of(iwd)
    assert [(e.kind, e.fields.get("send_confirm"), e.time, e.clock) for e in events] == [
        ("daemon_start", None, None, "none"), ("sae_confirm_tx", 1, None, "none")]
    assert read.formats == {"bare": 2}


def test_inputs_path_bytes_text_file_objects_and_gzip(tmp_path):
    line = "Dec 09 18:32:55 host iwd[1]: src/netdev.c:netdev_connect_common() Skipping SAE by using PMKSA cache\n"
    plain = tmp_path / "j.txt"
    plain.write_text(line * 3)
    packed = tmp_path / "j.txt.gz"
    packed.write_bytes(gzip.compress(line.encode() * 3))
    sources = [plain, str(plain), packed, line * 3, (line * 3).encode(), io.BytesIO((line * 3).encode()),
               io.StringIO(line * 3), io.BytesIO(gzip.compress(line.encode() * 3))]
    for source in sources:
        events, read = events_of(source, year=2024)
        assert [e.kind for e in events] == ["pmksa_used"] * 3, source
        assert read.lines == 3
    with read_log(plain, year=2024) as read:
        assert next(read.events).kind == "pmksa_used"


def test_reading_streams_a_long_journal():
    """A long journal is read one line at a time: events come before the input is exhausted."""
    line = (b"Dec 09 18:32:55 host kernel: ieee80211 phy0: brcmf_cfg80211_external_auth: "
            b"auth_status iovar failed: ret=-52\n")
    filler = b"Dec 09 18:32:55 host kernel: brcmfmac: brcmf_sdio_isr Enter\n"

    class Endless(io.RawIOBase):
        def __init__(self):
            self.served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = (line + filler * 50) * 20
            n = min(len(buffer), len(chunk))
            buffer[:n] = chunk[:n]
            self.served += n
            return n

    stream = Endless()
    read = read_log(io.BufferedReader(stream), year=2024)
    first = [next(read.events) for _ in range(100)]
    assert all(e.fields["errno"] == -52 for e in first)
    assert stream.served < 50_000_000  # did not try to read it all
    read.close()


def test_looks_like_log():
    for name in REAL_JOURNALS:
        path = real_journal(name)
        head = path.read_bytes()[:4096]
        assert looks_like_log(head), name
    assert looks_like_log(gzip.compress(b"Dec 09 18:32:55 host iwd[1]: event: state, old: a, new: b\n" * 20))
    assert looks_like_log(b"1733748612.123456: wlan0: State: DISCONNECTED -> SCANNING\n")
    assert looks_like_log(b"[    5.123456] brcmfmac: brcmf_fweh_event_worker event LINK (16) ifidx 0\n")
    assert looks_like_log(b"src/station.c:station_enter_state() Old State: disconnected, new state: autoconnect\n")
    assert not looks_like_log(b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16))
    assert not looks_like_log(b"\x0a\x0d\x0d\x0a" + bytes(28))
    assert not looks_like_log(b"Wireless monitor ver 3.3\n< Request: Connect (0x2e) len 152 [ack]   0.1\n")
    iwmon_lines = b"".join(b"> Event: Frame TX Status (0x3c) len 64  %d.000\n    Wiphy: 0 (0x00000000)\n" % i
                           for i in range(10))
    assert not looks_like_log(iwmon_lines)
    assert not looks_like_log(b"")
    assert not looks_like_log(b"Hello,\n\nplease find the log attached.\n")
    for iwmon_txt in sorted((REPO / "captures").glob("*/iwmon.txt.gz")):  # iwmon's own text decodes
        assert not looks_like_log(iwmon_txt.read_bytes()[:65536]), iwmon_txt
    for pcap in sorted((REPO / "captures").glob("*/*.pcap"))[:20]:
        assert not looks_like_log(pcap.read_bytes()[:4096]), pcap


# --- the vocabulary ---------------------------------------------------------------------------------------------

def test_every_row_makes_a_documented_kind_and_documented_fields():
    for source, table in patterns.TABLES.items():
        for row in table:
            kinds = [row.kind.format(message=m) for m in ("commit", "confirm")] if "{" in row.kind else [row.kind]
            for kind in kinds:
                assert kind in patterns.KINDS, (source, kind)
                documented = set(re.findall(r"\w+", patterns.KINDS[kind].fields))
                captured = set(row.regex.groupindex) - {"iface", "peer", "bssid", "hex"}
                captured |= {name for name, _ in row.const}
                assert captured <= documented | {"message", "transaction"}, (kind, captured - documented)
    used = {row.kind for table in patterns.TABLES.values() for row in table}
    used = {k.format(message=m) for k in used for m in ("commit", "confirm")}
    assert set(patterns.KINDS) <= used, set(patterns.KINDS) - used
    assert all(k.side in ("station", "ap", "either") for k in patterns.KINDS.values())


def test_typed_fields():
    line = ("1733748612.000000: wlan1: CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:00:00 reason=15 "
            "locally_generated=1\n")
    [event], _ = events_of(line, daemon="wpa_supplicant")
    assert event.fields == {"reason": 15, "locally_generated": True}
    [event], _ = events_of("1.0: wlan1:   * auth_data - hexdump(len=102): 01 00 7e 00 14 00 aa bb\n".replace(
        "1.0", "1733748612.0"), daemon="wpa_supplicant")
    assert (event.kind, event.fields["status"], event.fields["group"]) == ("sae_commit_tx", 126, 20)
    frame = "b0 00 00 00 02 00 00 00 00 00 02 00 00 00 01 00 02 00 00 00 00 00 20 00 03 00 02 00 00 00 01 00 34 36"
    [event], _ = events_of(f"1733748612.0: CMD_FRAME - hexdump(len=64): {frame}\n", daemon="wpa_supplicant")
    assert (event.kind, event.fields["send_confirm"], event.peer) == ("sae_confirm_tx", 1, "02:00:00:00:00:00")
    [event], _ = events_of("[SAE]: Frame did not verify (Required key not available)\n", daemon="iwd")
    assert event.fields == {"reason_text": "Required key not available", "errno": -126}
    for name in ("status", "reason", "group", "transaction", "errno"):
        assert name in INT_FIELDS or name == "errno"


def test_lines_with_no_pattern_are_log_lines_not_unplaced():
    text = "Dec 09 18:32:55 host systemd[1]: Started Session 3.\nDec 09 18:32:55 host kernel: brcmutil: data\n"
    events, read = events_of(text, year=2024)
    assert events == [] and read.unplaced_count == 0 and read.per_source == {"systemd": 1, "kernel": 1}


# --- clock offset ------------------------------------------------------------------------------------------------

def _event(kind: str, time: float, clock: str = "wall") -> LogEvent:
    return LogEvent(kind, "iwd", "station", time, clock, 1, "")


def test_clock_offset_median_of_the_densest_cluster():
    log = [_event("connect_start", 100.0), _event("sae_commit_tx", 100.2), _event("sae_commit_rx", 100.3),
           _event("sae_confirm_tx", 100.31), _event("sae_confirm_rx", 100.4), _event("connected", 100.9)]
    capture = [("connect_start", 5.001), ("sae_commit_tx", 5.2015), ("sae_commit_rx", 5.299),
               ("sae_confirm_tx", 5.311), ("sae_confirm_rx", 5.4), ("connected", 5.902),
               ("sae_commit_tx", 50.0)]  # a later attempt the log does not have
    offset, pairs = clock_offset(log, capture)
    assert offset == pytest.approx(-95.0, abs=0.002) and pairs == 6


def test_clock_offset_repeated_attempts_and_whole_second_logs():
    attempts = [10.0 * i for i in range(5)]
    log = [_event("sae_commit_tx", float(int(t + 0.4))) for t in attempts]  # -o short: whole seconds
    capture = [("sae_commit_tx", 1000.4 + t) for t in attempts]
    offset, pairs = clock_offset(log, capture)
    assert pairs == 5 and abs(offset - 1000.0) <= 0.5
    assert clock_offset(log, [("connected", 3.0)]) is None
    assert clock_offset([_event("sae_commit_tx", None, "none")], capture) is None  # type: ignore[arg-type]


def test_clock_offset_on_a_lab_log_against_its_own_hostapd_log():
    """wpa_supplicant's and hostapd's -t logs share the VM's clock: the offset between them is about 0."""
    from .test_textlog_journal_data import lab_log
    client, _ = events_of(lab_log("wpas-sae-wrongpass", "client.log"))
    ap, _ = events_of(lab_log("wpas-sae-wrongpass", "hostapd.log"))
    # the AP's received commits are the station's sent commits, a few ms later
    mirror = {"sae_commit_rx": "sae_commit_tx", "sae_confirm_rx": "sae_confirm_tx", "sae_commit_tx": "sae_commit_rx",
              "sae_confirm_tx": "sae_confirm_rx"}
    points = [(mirror[e.kind], e.time) for e in ap if e.kind in mirror]
    offset, pairs = clock_offset(client, points)
    assert pairs >= 15 and abs(offset) < 0.05


def _text(path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "surrogateescape")


def test_text_is_escaped():
    text = "Dec 09 18:32:55 host iwd[1]: \x1b[31m[SAE]: Sending Commit to 02:00:00:00:00:00\x1b[0m\x07\x9b\n"
    [event], _ = events_of(text, year=2024)
    assert event.kind == "sae_commit_tx"
    assert all(ch in string.printable and ch not in "\r\n\t\x0b\x0c" for ch in event.text), event.text
    assert event.text.endswith("\\x07\\u009b")


def test_the_docs_list_every_kind():
    """docs/text-inputs.md names every kind."""
    text = (REPO / "docs" / "text-inputs.md").read_text()
    missing = [k for k in patterns.KINDS if f"| `{k}` |" not in text]
    assert not missing, missing
