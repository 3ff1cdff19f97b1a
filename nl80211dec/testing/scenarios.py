"""The named external-auth scenarios, each a small function over the builder, with the verdict it models.

Since the emulated-FullMAC lab exists, the builder is held to real runs:
``tests/test_builder_vs_real.py`` compares each scenario's station messages
with a lab capture (``captures/*-fmac-*/nlmon.pcap``), message by message
(:mod:`.shapes`).  Each docstring starts with the supplicant flavour and says
which real capture holds the scenario, or that it is **modelled, not
recorded** and where the model comes from (a Raspberry Pi log in
``captures/real-brcmfmac``, or the brcmfmac source), for what the lab cannot
make.  ``build(name)`` returns the pcap bytes of a named scenario;
:data:`SCENARIOS` lists them with the verdict each models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from construct import Int16ul

from .builder import SEED_BSSID, SEED_SSID, SEED_STATION, ExternalAuthScenario, rsn_ie
from .flavours import AKM_HOST_ORDER, Firmware

__all__ = ["SCENARIOS", "SETTINGS", "SEED_BSSID", "SEED_SSID", "SEED_STATION", "ExternalAuthScenario", "build",
           "build_both", "describe", "rsn_ie", "scenario"]


CACHED_PMKID = bytes.fromhex("a7dd5d0948f98456352e9fe29a9d1e2a")  # a PMKSA from an earlier connection


def _u16(v: int) -> bytes:
    return Int16ul.build(v)


# -- the named scenarios -------------------------------------------------------------------
# Each docstring says the supplicant flavour, and either which real capture holds it (tests/test_builder_vs_real.py
# compares the two message by message) or that it is modelled, not recorded, and from what.

def _ok(s: ExternalAuthScenario) -> None:
    """iwd: SAE, the firmware's association, the 4-way handshake, keys, SET_PMKSA.

    Held to captures/iwd-fmac-ok and the first connection of captures/iwd-fmac-pmksa-reconnect (nlmon.pcap).

    As "ok-doubled-events": iwd 3.3, the same success as iwmon 3.1 printed it, every TX status and
    CONNECT event twice, ~20 µs apart.  Modelled, not recorded: the Pi logs made with iwmon 3.1
    (captures/real-brcmfmac: 2024-12-09 Driver_7.45.286, 2024-12-18 failed_connect); iwmon 3.3 prints each
    once, and the lab's captures show one copy per listening socket instead.
    """
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(0)
    s.four_way(pmkid=s.pmkid())


def _ok_wpa_supplicant(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: the same success; it hands the driver the PMKSA right after its status report.

    Held to captures/wpas-fmac-ok (nlmon.pcap, and its iwmon.pcap, which lost SET_PMKSA and NEW_KEY), the
    first connection of captures/wpas-fmac-pmksa-reconnect and of captures/wpas-fmac-noisy, and the fifth,
    with the right password, of captures/wpas-fmac-wrongpass-then-right.
    """
    _ok(s)


def _ok_wpa_supplicant_group20(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: the same success with group 20 (its sae_groups honoured in the external-auth path).

    Held to captures/wpas-fmac-group20 (nlmon.pcap).  iwd forces group 19 there: see unsupported-group.
    """
    _ok(s)


def _ok_wpa_supplicant_h2e(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: the same success with hash-to-element (SAE_PWE 2, an RSNXE, commits with status 126).

    Held to captures/wpas-fmac-h2e (nlmon.pcap).
    """
    _ok(s)


def _pmksa_ignored(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: CONNECT offers the cached PMKID, the firmware asks for SAE all the same, and
    wpa_supplicant runs it: a fresh SAE, a new PMKSA, the association (without the stale PMKID), the 4-way.

    Held to captures/wpas-fmac-no-host-pmksa (its second CONNECT; nlmon.pcap): fmac_sim's no_host_pmksa,
    firmware that cannot use the host's PMKSA.  iwd in the same place gives up: pmksa-instead-of-sae.
    """
    s.connect(pmkid=CACHED_PMKID)
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(0)
    s.four_way(pmkid=s.pmkid())


def _ok_m1_before_connect(s: ExternalAuthScenario) -> None:
    """iwd 3.3: EAPoL message 1 arrives just before the CONNECT event (the driver's race).

    Modelled, not recorded: the Raspberry Pi logs (captures/real-brcmfmac: 2024-12-21 Pi4_iwd_connect,
    2025-01-25 iwd_dhcp, 2024-12-18 failed_connect) show it in 4 of 5 associations; fmac_sim always
    sends the CONNECT event first.  Its shape is checked against the iwmon text of 2025-01-25 iwd_dhcp
    and 2024-12-21 Pi4_iwd_connect.
    """
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.eapol(1, pmkid=s.pmkid())
    s.connect_event(0)
    for n in (2, 3, 4):
        s.eapol(n)
    s.keys()


def _pmksa(s: ExternalAuthScenario) -> None:
    """iwd 3.3: the seed thread; iwd offers its cached PMKID (Open System), the firmware still asks for SAE,
    iwd answers status 1 without a commit, and no CONNECT event follows.

    Modelled, not recorded: the Pi logs (captures/real-brcmfmac: 2024-12-21 Pi4_no_connect at 44.37 s,
    2025-01-25 iwd_apipa; 2024-12-29 failed_DHCP's journal); iwd before 3.6 never gave a FullMAC driver its
    PMKSA.  Its shape is checked against the iwmon text of both.  Held to captures/iwd-fmac-no-host-pmksa
    (its second CONNECT; nlmon.pcap): iwd 3.8 does the same when the firmware ignores the PMKSA iwd set.
    """
    s.connect(pmkid=bytes.fromhex("8844b6b6dfda8f93a087e9ea6aa0c0de"))
    s.external_auth_event()
    s.report(1)
    s.join_failed(1)
    if s.fw.join_status(1) is None:  # the Pi: iwd waits, polling the station every 6 s (2025-01-25 iwd_apipa)
        s.poll_station(8)


def _pmksa_reconnect(s: ExternalAuthScenario) -> None:
    """iwd: a reconnect with the cached PMKSA: CONNECT offers the PMKID (Open System), the firmware uses it
    (no EXTERNAL_AUTH), associates, the 4-way handshake follows, and iwd sets the PMKSA again.

    Held to captures/iwd-fmac-pmksa-reconnect and, built for wpa_supplicant, captures/wpas-fmac-noisy (their
    second CONNECT; nlmon.pcap).  Whether brcmfmac's
    firmware uses a PMKSA the host set is in no real log: on the Pi, with an iwd that set none, it asked
    for SAE (pmksa-instead-of-sae).
    """
    s.connect(pmkid=CACHED_PMKID)
    s.connect_event(0)
    s.four_way(pmkid=CACHED_PMKID)


def _pmksa_reconnect_m1_first(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: the same reconnect, EAPoL message 1 before the CONNECT event (a race: wpas-fmac-noisy's
    reconnect had the CONNECT event first).

    Held to captures/wpas-fmac-pmksa-reconnect (its second CONNECT; nlmon.pcap).
    """
    s.connect(pmkid=CACHED_PMKID)
    s.eapol(1, pmkid=CACHED_PMKID)
    s.connect_event(0)
    for n in (2, 3, 4):
        s.eapol(n)
    s.keys()


def _report_rejected(s: ExternalAuthScenario) -> None:
    """iwd: SAE succeeds, the driver refuses the status report with -EBADE (-52); the firmware times out (16).

    Held to captures/iwd-fmac-ebade and, built for wpa_supplicant (which sets the PMKSA all the same),
    captures/wpas-fmac-ebade (nlmon.pcap).

    As "status-report-rejected-no-connect-event": iwd 3.3, the same refusal, and then no CONNECT event at
    all.  Modelled, not recorded: the Pi log captures/real-brcmfmac 2024-12-09 Driver_7.45.286 (no
    CONNECT event for 77 s, GET_STATION answered -52); its shape is checked against that iwmon text.
    """
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0, errno=-52)
    s.join_failed(16)
    if s.fw.join_status(16) is None:  # the Pi: iwd polls the station, the driver answers -52 (2024-12-09)
        s.poll_station(13, errno=-52)


def _commit_not_acked(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: its one commit is not acknowledged (TX status without ACK); no retransmission, no status
    report; the firmware times the join out (16).

    Held to captures/wpas-fmac-tx-noack and, built for iwd, captures/iwd-fmac-tx-noack (nlmon.pcap); iwd
    does not retransmit either.  The air capture is modelled: real firmware retries
    on the air (four unacknowledged transmissions here); fmac_sim transmits nothing.
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"), acked=False)
    s.join_failed(16)


def _no_peer_commit(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: the AP answers the commit on the air; the firmware never hands its commit up.  No
    retransmission, no status report; the firmware times the join out (16).

    Held to captures/wpas-fmac-drop-auth-rx (nlmon.pcap); built for iwd, to captures/iwd-fmac-drop-auth-rx.

    As "no-peer-commit-connect-zeroed": iwd, the same, with the CONNECT request zeroed as iwmon recorded it
    when the kernel had wiped it before the copy.  Held to captures/iwd-fmac-drop-auth-rx (iwmon.pcap, with
    nlmon.pcap as its complete twin).
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"), deliver=False)
    s.join_failed(16)


def _confirm_mismatch(s: ExternalAuthScenario) -> None:
    """wpa_supplicant: wrong password; the AP rejects the confirm (status 1), wpa_supplicant reports status 1.

    Held to captures/wpas-fmac-wrongpass (nlmon.pcap; fmac_sim passes on status 1, brcmfmac says 16, and its
    iwmon.pcap, where the kernel had zeroed every CONNECT request), captures/wpas-fmac-status16-wrongpass
    (fmac_sim saying 16 as brcmfmac does), the first attempt of captures/wpas-fmac-wrongpass-then-right and,
    built for iwd, to captures/iwd-fmac-wrongpass and captures/iwd-fmac-status16-wrongpass.
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"))
    s.send(2, s.confirm_body())
    s.receive(2, b"", status=1)
    s.report(1)
    s.join_failed(1)


def _no_commit_sent(s: ExternalAuthScenario) -> None:
    """wpa_supplicant 2.10: the firmware's AKM comes in host order, wpa_supplicant ignores the request
    silently (no commit, no report); the firmware times the join out (16).

    Held to captures/wpas-fmac-akm-host-order (nlmon.pcap).
    """
    s.connect()
    s.external_auth_event()
    s.join_failed(16)


def _unsupported_group(s: ExternalAuthScenario) -> None:
    """iwd: a group-20-only AP rejects iwd's commit (iwd forces group 19 for FullMAC) with status 77; iwd
    reports status 1 and tries no other group.

    Held to captures/iwd-fmac-group20 (nlmon.pcap).
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, _u16(s.group), status=77)
    s.report(1)
    s.join_failed(1)


def _anti_clogging(s: ExternalAuthScenario) -> None:
    """iwd: four rounds of status 76 (anti-clogging token), never an accepted commit.

    Modelled, not recorded: the token exchange of the SoftMAC lab run captures/iwd-sae-anticlog, on the
    external-auth path; no lab run makes hostapd loop.
    """
    s.connect()
    s.external_auth_event()
    token = b""
    for round_ in range(4):
        s.send(1, s.commit_body("sta", token=token))
        token = hashlib.sha256(f"token{round_}".encode()).digest()
        s.receive(1, _u16(s.group) + token, status=76)
    s.report(1)
    s.join_failed(1)


def _h2e_mismatch(s: ExternalAuthScenario) -> None:
    """iwd: the AP accepts only hash-to-element (its scan result says so), iwd forces hunting-and-pecking for
    FullMAC: the AP rejects the commit with status 1; iwd reports nothing, the firmware times out (16).

    Held to captures/iwd-fmac-h2e (nlmon.pcap).
    """
    s.scan_result(h2e_only=True)
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, b"", status=1)
    s.join_failed(16)


def _firmware_aborted(s: ExternalAuthScenario) -> None:
    """iwd: the firmware gives up (EXTERNAL_AUTH action ABORT) after the first commit and ends the join;
    the supplicant answers the abort with status 1.

    Held to captures/iwd-fmac-abort1 and, built for wpa_supplicant, captures/wpas-fmac-abort1 (first
    attempt; nlmon.pcap): fmac_sim's abort_after knob.  brcmfmac itself has no code path that sends ABORT
    (captures/real-brcmfmac/FACTS.md section 6).
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.external_auth_event(action=1)
    s.join_failed(1)
    s.report(1)


def _firmware_aborted_after_confirm(s: ExternalAuthScenario) -> None:
    """iwd: the same abort, after the station's confirm (the AP's commit came, its confirm did not).

    Held to captures/iwd-fmac-abort2 (nlmon.pcap): fmac_sim's abort_after=2.  wpa_supplicant's run with the
    same knob (captures/wpas-fmac-abort2) races the AP and differs from attempt to attempt.
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"))
    s.send(2, s.confirm_body())
    s.external_auth_event(action=1)
    s.join_failed(1)
    s.report(1)


def _assoc_rejected(s: ExternalAuthScenario) -> None:
    """iwd: SAE fine, status 0 accepted, the firmware's association fails (CONNECT status 16).

    Modelled, not recorded: brcmfmac's brcmf_bss_connect_done() reports a failed join as status 16.
    """
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.join_failed(16)


def _four_way_failed(s: ExternalAuthScenario) -> None:
    """iwd 3.3: associated; the AP sends EAPoL message 1 four times (the first before the CONNECT event),
    the station never answers, the AP deauthenticates with reason 15.

    Modelled, not recorded: the Pi log captures/real-brcmfmac 2024-12-18 failed_connect; its shape is
    checked against that iwmon text.
    """
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.eapol(1, pmkid=s.pmkid())
    s.connect_event(0)
    for _ in range(3):
        s.t += 1.0
        s.eapol(1, pmkid=s.pmkid())
    s.t += 1.0
    s.disconnect(15)


def _pmkid_mismatch(s: ExternalAuthScenario) -> None:
    """iwd: connected, but EAPoL message 1 carries a PMKID the SAE scalars do not give.

    Modelled, not recorded: the 2025 patch "wifi: brcmfmac: cyw: clean up PMKID and cookie code"
    (captures/real-brcmfmac/FACTS.md section 6: the firmware caches a garbage PMKID).
    """
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(0)
    s.four_way(pmkid=bytes(16))


def _incomplete(s: ExternalAuthScenario) -> None:
    """iwd: the capture stops after the commits.

    Modelled, not recorded: a truncated capture.
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"))


def _driver_sae_ok(s: ExternalAuthScenario) -> None:
    """iwd: a driver that runs SAE itself (SAE_PASSWORD in CONNECT): only CONNECT, its event and the 4-way.

    Modelled, not recorded: brcmfmac's firmware SAE offload (used when CONNECT carries the password).
    """
    s.connect(sae_password=b"correct horse battery staple")
    s.connect_event(0)
    for n in (1, 2, 3, 4):
        s.eapol(n)


def _driver_sae_failed(s: ExternalAuthScenario) -> None:
    """iwd: the same driver reports failure (status 16); nl80211 shows nothing of the exchange.

    Modelled, not recorded: brcmfmac's firmware SAE offload and brcmf_bss_connect_done().
    """
    s.connect(sae_password=b"wrong password")
    s.join_failed(16)


Builder = Callable[[ExternalAuthScenario], None]
WPAS = {"supplicant": "wpa_supplicant"}
PI = {"supplicant": "iwd-3.3"}  # the iwd of the Raspberry Pi logs
SILENT = {"firmware": Firmware(failed_join="none")}

# name, builder, the verdict it models, its ExternalAuthScenario settings
_TABLE: list[tuple[str, Builder, str, dict[str, Any]]] = [
    ("ok", _ok, "ok", {}),
    ("ok-wpa-supplicant", _ok_wpa_supplicant, "ok", WPAS),
    ("ok-group20", _ok_wpa_supplicant_group20, "ok", {**WPAS, "group": 20}),
    ("ok-h2e", _ok_wpa_supplicant_h2e, "ok", {**WPAS, "h2e": True}),
    ("ok-eapol-before-connect", _ok_m1_before_connect, "ok", PI),
    ("ok-doubled-events", _ok, "ok", {**PI, "doubled_events": True}),
    ("pmksa-instead-of-sae", _pmksa, "pmksa-instead-of-sae", {**PI, **SILENT}),
    ("pmksa-reconnect", _pmksa_reconnect, "ok", {}),
    ("pmksa-reconnect-wpa-supplicant", _pmksa_reconnect_m1_first, "ok", WPAS),
    ("pmksa-ignored-sae-runs", _pmksa_ignored, "ok", WPAS),  # connected: the ignored PMKSA is a finding
    ("status-report-rejected", _report_rejected, "status-report-rejected", {}),
    ("status-report-rejected-no-connect-event", _report_rejected, "status-report-rejected", {**PI, **SILENT}),
    ("commit-not-acked", _commit_not_acked, "commit-not-acked", WPAS),
    ("no-peer-commit", _no_peer_commit, "no-peer-commit", WPAS),
    ("no-peer-commit-connect-zeroed", _no_peer_commit, "no-peer-commit", {"zeroed": ("NEW_KEY", "CONNECT")}),
    ("confirm-mismatch", _confirm_mismatch, "confirm-mismatch", WPAS),
    ("no-commit-sent", _no_commit_sent, "no-commit-sent", {**WPAS, "firmware": Firmware(akm=AKM_HOST_ORDER)}),
    ("unsupported-group", _unsupported_group, "unsupported-group", {}),
    ("anti-clogging-loop", _anti_clogging, "anti-clogging-loop", {}),
    ("h2e-mismatch", _h2e_mismatch, "h2e-mismatch", {}),
    ("firmware-aborted", _firmware_aborted, "firmware-aborted", {}),
    ("firmware-aborted-after-confirm", _firmware_aborted_after_confirm, "firmware-aborted", {}),
    ("assoc-rejected", _assoc_rejected, "assoc-rejected", {}),
    ("four-way-failed", _four_way_failed, "four-way-failed", PI),
    ("pmkid-mismatch", _pmkid_mismatch, "ok", {}),  # connected: the PMKID is a finding beside it
    ("incomplete", _incomplete, "incomplete", {}),
    ("driver-sae-ok", _driver_sae_ok, "ok", {}),
    ("driver-sae-failed", _driver_sae_failed, "driver-connect-failed", {}),
]

# name -> (builder, the verdict the scenario models); SETTINGS: name -> its ExternalAuthScenario keywords
SCENARIOS: dict[str, tuple[Builder, str]] = {name: (fn, verdict) for name, fn, verdict, _ in _TABLE}
SETTINGS: dict[str, dict[str, Any]] = {name: settings for name, _, _, settings in _TABLE}


def describe(name: str) -> str:
    """What the docstring says about scenario ``name``, on one line: a variant sharing a builder has its own
    paragraph, ``As "name": ...``."""
    paragraphs = [" ".join(p.split()) for p in (SCENARIOS[name][0].__doc__ or "").split("\n\n")]
    own = [p.removeprefix(f'As "{name}": ') for p in paragraphs if p.startswith(f'As "{name}": ')]
    return own[0] if own else " ".join(p for p in paragraphs if not p.startswith('As "'))


def scenario(name: str, **kwargs: Any) -> ExternalAuthScenario:
    """Scenario ``name`` built (its own settings, overridden by ``kwargs``), ready for more steps."""
    fn, _verdict = SCENARIOS[name]
    s = ExternalAuthScenario(**{**SETTINGS[name], **kwargs})
    fn(s)
    return s


def build(name: str, **kwargs: Any) -> bytes:
    """The pcap bytes of scenario ``name`` (see :data:`SCENARIOS`)."""
    return scenario(name, **kwargs).pcap()


def build_both(name: str, **kwargs: Any) -> tuple[bytes, bytes]:
    """Scenario ``name`` as (iwmon capture, over-the-air capture of the same moment)."""
    s = scenario(name, **kwargs)
    return s.pcap(), s.air_pcap()
