"""The lab logs (client.log, hostapd.log, fmac-kernel.log): the events that decide each attempt come out.

Two kinds of check.  Every scenario whose README states what was on the air
("client SAE frames: commit(status 0, group 19) x5, ...; AP SAE frames: ...")
must show the same SAE frames being *sent* in its logs - except that a
request nobody answers is sent three times by mac80211 (its authentication
tries), so in the scenarios where the peer never answered the air holds three
frames per logged one.  And per scenario, the facts its README's ground truth
names (five confirms answered with status 1, "SME: Authentication timed
out", the skip lines ...) are checked one by one.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from nl80211dec.textlog.journal import read_log

from .test_textlog_journal_data import first_existing, lab_folders, lab_log

AIR_LINE = re.compile(r"on the air \(air\.pcap\): client SAE frames: (?P<client>.*?); AP SAE frames: (?P<ap>.*)$", re.M)
AIR_ITEM = re.compile(r"(commit|confirm)\(status (\d+)(?:, group \d+)?\) x(\d+)")
# The frame the peer never answered, per scenario: mac80211 sends it three times.
UNANSWERED = {"wpas-sae-no-ap": "commit", "wpas-sae-no-peer-commit": "commit", "iwd-sae-no-peer-commit": "commit",
              "wpas-sae-no-peer-confirm": "confirm", "iwd-sae-no-peer-confirm": "confirm"}
MAC80211_TRIES = 3
FOLDERS = lab_folders()


def kinds(path: Path) -> list:
    read = read_log(path)
    events = list(read.events)
    assert read.finished and read.damage is None
    return events


def sent(events: list, *, with_status: bool) -> Counter:
    out: Counter = Counter()
    for e in events:
        if e.kind in ("sae_commit_tx", "sae_confirm_tx"):
            out[(e.kind[4:-3], e.fields.get("status") if with_status else None)] += 1
    return out


def air(text: str, *, with_status: bool) -> Counter:
    out: Counter = Counter()
    for message, status, count in AIR_ITEM.findall(text):
        out[(message, int(status) if with_status else None)] += int(count)
    return out


def _readme(folder: Path) -> str:
    path = folder / "README.md"
    return path.read_text() if path.is_file() else ""


AIR_FOLDERS = [f for f in FOLDERS if AIR_LINE.search(_readme(f))]
OUTCOME_FOLDERS = [f for f in FOLDERS if re.search(r"observed: \*\*", _readme(f))
                   and first_existing(f / "hostapd.log") is not None]
TRUTH_FOLDERS = [f for f in FOLDERS if (f / "truth.json").is_file()]


@pytest.mark.parametrize("folder", AIR_FOLDERS, ids=[f.name for f in AIR_FOLDERS])
def test_logs_send_what_the_readme_saw_on_the_air(folder):
    found = AIR_LINE.search(_readme(folder))
    assert found is not None
    for side, log_name in (("client", "client.log"), ("ap", "hostapd.log")):
        path = first_existing(folder / log_name)
        if path is None:
            continue
        events = kinds(path)
        iwd = side == "client" and any(e.source == "iwd" for e in events)  # iwd does not log its commit's status
        logged = sent(events, with_status=not iwd)
        expected = air(found[side], with_status=not iwd)
        if side == "client" and folder.name in UNANSWERED:
            logged = Counter({k: v * MAC80211_TRIES if k[0] == UNANSWERED[folder.name] else v
                              for k, v in logged.items()})
        assert logged == expected, (folder.name, side)


@pytest.mark.parametrize("folder", OUTCOME_FOLDERS, ids=[f.name for f in OUTCOME_FOLDERS])
def test_connected_exactly_when_the_readme_says_so(folder):
    observed = re.search(r"observed: \*\*([^*]+)\*\*", _readme(folder))
    assert observed is not None
    hostapd = first_existing(folder / "hostapd.log")
    assert hostapd is not None
    connected = sum(e.kind == "ap_sta_connected" for e in kinds(hostapd))
    assert (connected > 0) == (not observed[1].startswith("not connected")), (folder.name, observed[1])


# Shapes of cited evidence lines that give no event of their own, and why.
NO_EVENT_OF_THEIR_OWN = (
    ("IEEE 802.11: start SAE authentication (RX commit", "hostapd's logger repeats 'authentication: STA='"),
    ("IEEE 802.11: SAE authentication (RX confirm", "hostapd's logger repeats 'authentication: STA='"),
    ("nl80211: Associated with ", "the driver's echo of wpa_supplicant's 'Associated with' (associated)"),
    ("Event ASSOC_TIMED_OUT", "the line after it, 'SME: Association timed out', is assoc_timeout"),
    ("Request to deauthenticate - ", "wpa_driver_nl80211_deauthenticate() on the next line is deauth_tx"),
    ("selected based on RSN IE", "a BSS accepted: the attempt itself follows"),
    ("SME: Selected SAE group ", "'SAE: Selecting supported ECC group' is sae_group"),
    ("[SAE]: Forcing Default Group", "the group follows in '[SAE]: Using group'"),
    ("Forcing default group for ", "iwd's FullMAC group choice; the group follows in '[SAE]: Using group'"),
    (": MGMT-RX ", "the lab relay's copy of a frame hostapd logs anyway"),
    ("IEEE 802.1X: Ignore STA", "hostapd's 802.1X module stepping aside for an SAE station"),
)


@pytest.mark.parametrize("folder", TRUTH_FOLDERS, ids=[f.name for f in TRUTH_FOLDERS])
def test_every_log_line_the_ground_truth_cites_is_an_event(folder):
    """truth.json cites log lines as evidence for each verdict: each one is read as an event (or is listed above)."""
    truth = json.loads((folder / "truth.json").read_text())
    cited: dict[str, set[str]] = {}
    for side in ("station", "ap"):
        for attempt in truth.get(side) or ():
            for evidence in attempt.get("evidence", ()):
                log, _, line = evidence.partition(": ")
                if log in ("client.log", "hostapd.log", "fmac-kernel.log"):
                    cited.setdefault(log, set()).add(line.strip())
    for log, lines in cited.items():
        path = first_existing(folder / log)
        if path is None:
            continue
        read = read_log(path)
        by_line = {e.line: e for e in read.events}
        physical: dict[str, list[int]] = {}
        for n, raw in _numbered_lines(path).items():
            physical.setdefault(" ".join(raw.split()), []).append(n)
        for text in lines:
            numbers = physical.get(" ".join(text.split()), [])
            if not numbers:
                continue  # cited in a shortened form
            if any(shape in text for shape, _why in NO_EVENT_OF_THEIR_OWN):
                continue
            if " guest: " in text:  # the lab's own notes: unplaced, counted and listed
                assert any(n == numbers[0] for n, _ in read.unplaced), text
                continue
            assert any(n in by_line for n in numbers), f"{folder.name}/{log}: no event for {text!r}"


def _numbered_lines(path: Path) -> dict[int, str]:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return dict(enumerate(data.decode("utf-8", "surrogateescape").splitlines(), 1))


def events(scenario: str, log: str = "client.log") -> list:
    return kinds(lab_log(scenario, log))


def count(evs: list, kind: str, **fields) -> int:
    return sum(e.kind == kind and all(e.fields.get(k) == v for k, v in fields.items()) for e in evs)


def test_wpas_sae_wrongpass():
    """README: 5 attempts; the AP answers each confirm with status 1 (SAE: Confirm mismatch)."""
    client = events("wpas-sae-wrongpass")
    assert count(client, "sae_commit_tx", status=0, group=19) == 5
    assert count(client, "sae_confirm_tx", status=0, send_confirm=1) == 5
    assert count(client, "sae_confirm_rx", status=1) == 5
    assert count(client, "auth_reject", status=1, transaction=2, auth_type=3) == 5
    assert count(client, "ssid_temp_disabled") == 2 and count(client, "connected") == 0
    ap = events("wpas-sae-wrongpass", "hostapd.log")
    assert count(ap, "sae_confirm_mismatch") == 5 and count(ap, "sae_confirm_tx", status=1) == 5
    assert {e.peer for e in ap if e.kind.endswith(("_tx", "_rx"))} == {"02:00:00:00:01:00"}


def test_iwd_sae_ok():
    """README: a commit in group 20 rejected with 77, group 19 accepted, connected."""
    client = events("iwd-sae-ok")
    assert [e.fields["status"] for e in client if e.kind == "sae_commit_rx"] == [77, 0]
    assert [e.fields["group"] for e in client if e.kind == "sae_group"] == [20, 19]
    assert count(client, "sae_group_rejected", group=19) == 1
    assert count(client, "connect_result", result=0, result_name="OK") == 1
    assert [e.fields["new"] for e in client if e.kind == "state_change"][-2:] == ["connecting (auto)", "connected"]
    ap = events("iwd-sae-ok", "hostapd.log")
    assert [e.fields["status"] for e in ap if e.kind == "sae_commit_tx"] == [77, 0]
    assert count(ap, "ap_sta_connected") == 1 and count(ap, "handshake_complete") == 1


def test_iwd_sae_wrongpass():
    client = events("iwd-sae-wrongpass")
    assert count(client, "sae_confirm_rx", status=1) == 1
    [failed] = [e for e in client if e.kind == "sae_verify_failed"]
    assert failed.fields == {"reason_text": "Required key not available", "errno": -126}
    assert count(client, "connect_result", result=1, result_name="AUTHENTICATION_FAILED") == 1


def test_wpas_sae_no_ap():
    """README: hostapd frozen before the commit: one commit, no answer, SME: Authentication timed out."""
    client = events("wpas-sae-no-ap")
    assert count(client, "sae_commit_tx") == 1 and count(client, "sae_commit_rx") == 0
    assert count(client, "auth_timeout") == 1
    read = read_log(lab_log("wpas-sae-no-ap", "hostapd.log"))
    ap = list(read.events)
    assert not [e for e in ap if e.kind.startswith("sae_")]
    assert read.unplaced_count == 2  # the lab's "[12:28:36.621] guest: hostapd pid 321 frozen ..." notes
    assert "frozen with SIGSTOP" in read.unplaced[0][1]


@pytest.mark.parametrize(("scenario", "why", "h2e_disabled"), [
    ("wpas-sae-h2e-mismatch", "rates", 4), ("wpas-sae-h2e-mismatch-rev", "h2e_required", 0),
    ("wpas-sae-mfp-off", "mfp_required", 0)])
def test_wpas_skips_the_bss(scenario, why, h2e_disabled):
    """README: no authentication at all; wpa_supplicant's skip line on every scan."""
    client = events(scenario)
    assert count(client, "bss_skipped", why=why) >= 4
    assert count(client, "h2e_disabled") == h2e_disabled
    assert count(client, "sae_commit_tx") == 0


def test_wpas_sae_anticlog_and_group_mismatch():
    client = events("wpas-sae-anticlog")
    assert [e.fields["status"] for e in client if e.kind == "sae_commit_rx"] == [76, 0]
    assert count(client, "sae_token_requested", group=19) == 1
    assert count(events("wpas-sae-anticlog", "hostapd.log"), "sae_token_requested") == 1
    mismatch = events("wpas-sae-group-mismatch")
    assert count(mismatch, "sae_commit_rx", status=77) == 5 and count(mismatch, "sae_group_rejected") == 5


def test_wpas_sae_pmksa():
    stale = events("wpas-sae-pmksa-stale")
    assert count(stale, "pmksa_used") == 1 and count(stale, "assoc_reject", status=53) == 1
    assert count(stale, "pmksa_rejected") == 1 and count(stale, "connected") == 2
    assert count(events("wpas-sae-pmksa-stale", "hostapd.log"), "sae_no_pmksa") == 1
    reconnect = events("wpas-sae-pmksa-reconnect")
    assert count(reconnect, "pmksa_used") == 1 and count(reconnect, "connected") == 2
    assert count(reconnect, "sae_commit_tx") == 1  # the second connection used the PMKSA, no SAE


def test_wpas_sae_pwid_mismatch():
    client = events("wpas-sae-pwid-mismatch")
    assert count(client, "sae_commit_rx", status=123) == 6 and count(client, "sae_unknown_password_id") == 6
    assert count(events("wpas-sae-pwid-mismatch", "hostapd.log"), "sae_unknown_password_id") == 6


def test_iwd_fmac_ebade():
    """README: full SAE, CMD_EXTERNAL_AUTH status 0 answered -52, CONNECT status 16 about 5 s later."""
    client = events("iwd-fmac-ebade")
    assert count(client, "external_auth_error", errno=-52, reason_text="Invalid exchange") == 1
    assert count(client, "connect_result", result=2) == 1
    kernel = events("iwd-fmac-ebade", "fmac-kernel.log")
    assert [e.kind for e in kernel] == ["fw_connect", "external_auth_request", "external_auth_status",
                                         "external_auth_error", "join_timeout", "connect_result"]
    assert kernel[-1].fields == {"state": "ext-auth", "status": 16, "reported": 16}
    assert kernel[-1].time - kernel[2].time == pytest.approx(4.94, abs=0.05)
    assert all(e.clock == "monotonic" and e.iface == "fmac0" for e in kernel)


def test_wpas_fmac():
    wrong = events("wpas-fmac-wrongpass")
    assert count(wrong, "external_auth_request", action=0) == 5
    assert count(wrong, "external_auth_status", status=1) == 5 and count(wrong, "assoc_reject", status=1) == 5
    assert count(events("wpas-fmac-wrongpass", "fmac-kernel.log"), "connect_result", status=1) == 5
    order = events("wpas-fmac-akm-host-order")
    assert count(order, "external_auth_request", akm=0x000FAC08) == 5
    assert count(order, "sae_commit_tx") == 0 and count(order, "assoc_reject", status=16) == 5
    assert count(events("wpas-fmac-akm-host-order", "fmac-kernel.log"), "join_timeout") == 5
    ok = events("wpas-fmac-ok")
    assert count(ok, "sae_commit_tx", group=19) == 1 and count(ok, "external_auth_status", status=0) == 1
    assert count(ok, "connected") == 1
    kernel = events("wpas-fmac-ok", "fmac-kernel.log")
    assert count(kernel, "connect_result", status=0, reported=0) == 1 and count(kernel, "pmksa_to_driver") == 1


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_lab_logs_have_no_stray_lines(folder):
    """Every line of a lab log is placed, but for the lab's own "[hh:mm:ss] guest:" notes."""
    for name in ("client.log", "hostapd.log", "fmac-kernel.log"):
        path = first_existing(folder / name)
        if path is None:
            continue
        read = read_log(path)
        for _ in read.events:
            pass
        assert read.joined == 0, (folder.name, name)
        assert all(" guest: " in text for _, text in read.unplaced), (folder.name, name, read.unplaced)
        assert sum(read.per_source.values()) + read.unplaced_count + read.blank + read.joined == read.lines


def test_clock_offset_against_the_scenarios_own_capture():
    """wpa_supplicant -t and tcpdump ran in the same VM: the log's commits and confirms pair with the
    AUTHENTICATE requests carrying them, a fraction of a millisecond apart."""
    import nl80211dec
    from nl80211dec.textlog.journal import clock_offset

    pcap = first_existing(Path(lab_log("wpas-sae-wrongpass", "client.log")).parent / "nlmon.pcap")
    if pcap is None:
        pytest.skip("wpas-sae-wrongpass/nlmon.pcap not copied yet")
    points = []
    for msg in nl80211dec.open(str(pcap)):
        if msg.cmd_name == "AUTHENTICATE" and msg.role == "request":
            body = msg["AUTH_DATA"].raw
            kind = {1: "sae_commit_tx", 2: "sae_confirm_tx"}.get(body[0]) if body else None
            if kind:
                points.append((kind, msg.timestamp))
    offset, pairs = clock_offset(events("wpas-sae-wrongpass"), points)
    assert pairs == 10 and 0 <= offset < 0.005
