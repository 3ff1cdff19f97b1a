"""Which log lines matter for a Wi-Fi connection attempt: the per-daemon tables and their vocabulary.

:data:`TABLES` maps a daemon (the ``source`` of a line) to its rows
(``log_daemons``, ``log_kernel``; how a row reads a line is in ``log_rows``).
:data:`KINDS` is the vocabulary those rows produce, the contract with the
sequencer: every kind, the side it speaks for, and its fields.  A test holds
every row to it.  A daemon's table decides the side of its SAE lines:
"SAE: Confirm mismatch" is the AP's verdict in hostapd and the station's in
wpa_supplicant.

Fields that are numbers are ints (``status``, ``reason``, ``group``,
``transaction``, ``send_confirm``, ``msg`` ...), ``errno`` is negative like the
kernel's, MACs are lower case, flags are bools.  Every event also has ``peer``
and ``bssid`` attributes: on the station side an AP's address fills both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .log_daemons import CONNMAN, HOSTAPD, IWD, JOURNAL, WPA_SUPPLICANT
from .log_kernel import KERNEL
from .log_rows import Pattern


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    side: str  # station, ap, or either
    fields: str  # the fields it can carry (beyond iface/peer/bssid)
    meaning: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    # lifecycle
    Kind("daemon_start", "either", "daemon_version or config", "a daemon started (banner line)"),
    Kind("daemon_stop", "either", "", "a daemon is terminating"),
    Kind("boot", "either", "boot_id", "journal boot marker: the machine (re)started"),
    Kind("state_change", "station", "old, new, technology",
         "iwd station state, wpa_supplicant State:, connman service state"),
    Kind("ap_enabled", "ap", "", "hostapd's BSS is up"),
    Kind("ap_disabled", "ap", "", "hostapd's BSS is down"),
    # starting an attempt
    Kind("connect_start", "station", "ssid, signal", "iwd chose a BSS and starts connecting"),
    Kind("auth_start", "station", "ssid, freq, try_no, tries, auth_type",
         "an authentication exchange starts (wpa_supplicant SME logs it again before the SAE confirm)"),
    Kind("assoc_start", "station", "ssid, freq, try_no, tries, retry",
         "association starts (wpa_supplicant FullMAC: its CONNECT)"),
    Kind("fw_connect", "station", "ssid, akm, connect_flags, pmkids, state", "the driver took the CONNECT"),
    Kind("external_auth_expected", "station", "driver", "iwd will do SAE through EXTERNAL_AUTH (FullMAC)"),
    Kind("external_auth_request", "station", "ssid, action, action_name, akm, errno",
         "the driver asks user space for SAE (NL80211_CMD_EXTERNAL_AUTH START; action 1 / ABORT: it gives up)"),
    Kind("external_auth_status", "station", "status, pmkid_given",
         "the SAE result user space reports to the driver (CMD_EXTERNAL_AUTH); kernel lines: the driver got it"),
    Kind("external_auth_notify", "station", "",
         "iwd's netdev got the kernel's EXTERNAL_AUTH event (its 'External Auth to SSID' line says it with the SSID)"),
    Kind("external_auth_frame_tx", "station", "",
         "iwd sent an SAE frame through CMD_FRAME (its debug line does not say commit or confirm; commit first)"),
    Kind("external_auth_error", "station", "errno, reason_text",
         "reporting the external-auth result failed (brcmfmac auth_status iovar -52, iwd EBADE)"),
    # PMKSA
    Kind("pmksa_found", "station", "pmkid", "iwd found a cached PMKSA"),
    Kind("pmksa_used", "either", "", "PMKSA caching instead of a new SAE"),
    Kind("pmksa_rejected", "station", "", "the AP refused the PMKSA; falling back to SAE"),
    Kind("pmksa_added", "either", "pmkid", "a PMKSA was cached"),
    Kind("pmksa_removed", "station", "", "a PMKSA was dropped"),
    Kind("pmksa_to_driver", "station", "errno", "a PMKSA was given to (or refused by) the driver"),
    Kind("sae_no_pmksa", "ap", "", "the AP has no PMKSA for the station's PMKID (status 53 follows)"),
    # SAE
    Kind("sae_method", "station", "method, h2e", "iwd's PWE method"),
    Kind("sae_group", "either", "group", "the SAE group chosen"),
    Kind("sae_group_rejected", "either", "group", "a group refused (station: the AP sent 77; AP: not enabled)"),
    Kind("sae_token_requested", "either", "group", "anti-clogging token asked for (status 76)"),
    Kind("sae_commit_tx", "either", "status, group, transaction, message",
         "an SAE commit sent (AP: its reply, status 77/76 included)"),
    Kind("sae_confirm_tx", "either", "status, send_confirm, transaction, message", "an SAE confirm sent"),
    Kind("sae_commit_rx", "either", "status, transaction, message, state", "an SAE commit received"),
    Kind("sae_confirm_rx", "either", "status, transaction, message, state", "an SAE confirm received"),
    Kind("sae_verify_failed", "station", "reason_text, errno",
         "iwd refused the peer's frame (after a non-zero status: ENOKEY; else the confirm did not verify)"),
    Kind("sae_confirm_mismatch", "either", "", "the peer's confirm did not verify (wrong password)"),
    Kind("sae_unexpected_status", "ap", "status",
         "hostapd refused a commit's status code (e.g. 0 when H2E is required)"),
    Kind("sae_unknown_password_id", "either", "why",
         "the AP does not know the password identifier (status 123; hostapd: no password for it)"),
    Kind("sae_state", "ap", "old, new, why", "hostapd's per-peer SAE state machine"),
    Kind("sae_complete", "station", "", "SAE finished; association comes next"),
    # authentication / association
    Kind("auth_rx", "either", "auth_type, transaction, status",
         "an Authentication frame received (wpa_supplicant: any algorithm, count SAE by sae_*_rx; hostapd: not SAE)"),
    Kind("auth_tx", "either", "auth_type, transaction, status, try_no, tries", "a non-SAE Authentication sent"),
    Kind("auth_ok", "either", "auth_name", "authentication done"),
    Kind("auth_tx_status", "station", "ack", "wpa_supplicant: the driver's TX status of its Authentication frame"),
    Kind("auth_reject", "station", "auth_type, transaction, status", "CTRL-EVENT-AUTH-REJECT"),
    Kind("auth_timeout", "station", "", "no answer to authentication"),
    Kind("assoc_response", "either", "status, aid",
         "an Association Response: received (mac80211) or sent with status 0 (hostapd 'association OK')"),
    Kind("assoc_error", "station", "errno", "iwd could not send the association request"),
    Kind("assoc_reject", "station", "status", "CTRL-EVENT-ASSOC-REJECT (FullMAC: the CONNECT event's status)"),
    Kind("assoc_timeout", "station", "", "no answer to association"),
    Kind("associated", "either", "aid", "association done"),
    Kind("connect_event", "station", "", "iwd received the kernel's CONNECT event"),
    Kind("connect_result", "station", "result, result_name, ifindex or state, status, reported",
         "how the attempt ended: iwd station_connect_cb (netdev result) or fmac_sim's join"),
    Kind("connect_failed", "station", "status", "iwd event: connect-failed"),
    Kind("join_timeout", "station", "", "the (emulated) firmware gave up on the join"),
    Kind("connected", "station", "", "CTRL-EVENT-CONNECTED: SAE, association and 4-way done"),
    Kind("disconnected", "station", "reason, locally_generated, from_ap", "the connection ended"),
    Kind("disconnect_info", "station", "reason", "iwd event: disconnect-info (follows disconnected)"),
    Kind("disconnect_cmd", "either", "reason, state",
         "the driver was told to disconnect (hostapd: an operator's DEAUTHENTICATE command)"),
    Kind("control_command", "station", "command, id, name", "a wpa_supplicant control-interface command (wpa_cli)"),
    Kind("deauth_rx", "either", "reason", "a Deauthentication/Disassociation received"),
    Kind("deauth_tx", "station", "reason, locally_generated", "a Deauthentication sent"),
    Kind("ap_deauth", "ap", "what, why, reason", "hostapd dropped the station"),
    Kind("ap_sta_connected", "ap", "", "AP-STA-CONNECTED"),
    Kind("ap_sta_disconnected", "ap", "", "AP-STA-DISCONNECTED"),
    # network selection
    Kind("ssid_temp_disabled", "station", "id, ssid, auth_failures, duration, reason_text",
         "wpa_supplicant blocks the network for a while"),
    Kind("ssid_reenabled", "station", "id, ssid", "the block ended"),
    Kind("network_not_found", "station", "", "no matching network in the scan"),
    Kind("bss_skipped", "station", "why", "wpa_supplicant refused a BSS (mfp_required, h2e_required, rates, ...)"),
    Kind("h2e_disabled", "station", "", "wpa_supplicant: SAE H2E is off for this BSS"),
    # 4-way handshake
    Kind("handshake_start", "station", "", "iwd starts its 4-way handshake state machine"),
    Kind("eapol_rx", "either", "msg, ifindex", "EAPOL-Key message N of the 4-way handshake received"),
    Kind("eapol_tx", "either", "msg", "EAPOL-Key message N sent"),
    Kind("handshake_complete", "either", "", "4-way handshake done (iwd: keys being set)"),
    Kind("handshake_failed", "either", "state, tries",
         "4-way handshake failed (station: wrong PSK likely; AP: EAPOL-Key retries exhausted in a state)"),
    # after the link
    Kind("link_up", "station", "", "the kernel: the interface's carrier is up (IPv6 ADDRCONF 'link becomes ready')"),
    Kind("ip_address", "station", "address, prefix, apipa", "an address was configured (apipa: 169.254/16)"),
    # brcmfmac firmware layer
    Kind("fw_event", "station", "event, code, ifidx, bsscfg, addr, version, flags, status, reason",
         "a brcmfmac firmware event (EXT_AUTH_REQ, EXT_AUTH_FRAME_RX, MGMT_FRAME_TXSTATUS, LINK, SET_SSID, "
         "DEAUTH_IND ...)"),
    Kind("fw_mgmt_tx", "station", "cookie, fc, len, channel", "brcmfmac hands an Authentication frame to the firmware"),
    Kind("fw_mgmt_tx_status", "station", "outcome, ack", "the firmware's TX result for it"),
    Kind("fw_iovar", "station", "name, len, ifidx, bsscfg", "an iovar set (wpaie, auth, auth_status, ...)"),
    Kind("fw_error", "station", "error, code", "a firmware error (BCME_BADLEN ...)"),
    Kind("fw_connect_done", "station", "", "brcmf_bss_connect_done: the driver reports the join"),
    Kind("fw_link_down", "station", "", "brcmf_link_down"),
    Kind("knob", "station", "name, what", "an fmac_sim test knob acted"),
)}

TABLES: dict[str, tuple[Pattern, ...]] = {
    "iwd": IWD,
    "wpa_supplicant": WPA_SUPPLICANT,
    "hostapd": HOSTAPD,
    "kernel": KERNEL,
    "connman": CONNMAN,
    "journal": JOURNAL,
}
TABLE_SIDES = {"hostapd": "ap", "journal": "either"}  # every other table speaks for the station
MERGE_KINDS = frozenset(p.kind for table in TABLES.values() for p in table if p.merge)

# Journal identifiers (SYSLOG_IDENTIFIER / _COMM) -> source.
IDENT_SOURCES = {"iwd": "iwd", "wpa_supplicant": "wpa_supplicant", "hostapd": "hostapd", "kernel": "kernel",
                 "connmand": "connman", "connman": "connman", "networkmanager": "NetworkManager"}

# What a line without a daemon name (bare or "-t" logs) says about who wrote it.
DAEMON_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iwd", re.compile(r"^(?:Wireless daemon version|src/[\w-]+\.c:\w+\(\)|\[SAE\]: |event: (?:state|connect-info|"
                       r"disconnect-info), )")),
    ("wpa_supplicant", re.compile(r"^wpa_supplicant v|Successfully initialized wpa_supplicant|SME: |: State: [A-Z_]+ "
                                  r"-> |wpa_driver_nl80211|CTRL-EVENT-(?:CONNECTED|DISCONNECTED|SCAN)")),
    ("hostapd", re.compile(r"^hostapd v|^Configuration file: |AP-ENABLED|AP-STA-|authentication: STA=|"
                           r"IEEE 802\.11: |hostapd_")),
)
# Banners: a daemon's first words; a bare log that goes on with another daemon's banner changed writer.
DAEMON_BANNERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iwd", re.compile(r"^Wireless daemon version ")),
    ("wpa_supplicant", re.compile(r"^wpa_supplicant v\d|^Successfully initialized wpa_supplicant")),
    ("hostapd", re.compile(r"^hostapd v\d|^Configuration file: ")),
)

IFACE_PREFIX = re.compile(r"^(?P<iface>(?:wl|p2p-|fmac|mlan|ath|eth|en|ra|uap|ap|wifi|sta)[\w.-]*\d[\w.-]*): ")


@dataclass(frozen=True, slots=True)
class Found:
    """What a table made of one message."""

    source: str
    kind: str
    side: str
    merge: bool
    iface: str | None
    peer: str | None
    bssid: str | None
    fields: dict[str, Any]


def hint(message: str) -> str | None:
    """The daemon a message without a name most likely comes from, or None."""
    for daemon, regex in DAEMON_HINTS:
        if regex.search(message):
            return daemon
    return None


def banner(message: str) -> str | None:
    for daemon, regex in DAEMON_BANNERS:
        if regex.search(message):
            return daemon
    return None


def match(source: str, message: str) -> Found | None:
    """The first row of the source's table that reads the message; an unknown source tries every daemon."""
    if source in TABLES:
        return _match_table(source, message)
    if source == "unknown":
        for name in ("iwd", "wpa_supplicant", "hostapd", "kernel", "connman"):
            found = _match_table(name, message)
            if found is not None:
                return found
    return None


def _any_needle(table: tuple[Pattern, ...]) -> re.Pattern[str]:
    """One scan that says whether any row of a table could match (most lines match none)."""
    needles = sorted({p.needle for p in table}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in needles))


ANY_NEEDLE = {source: _any_needle(table) for source, table in TABLES.items()}


def _match_table(source: str, message: str) -> Found | None:
    if ANY_NEEDLE[source].search(message) is None:
        return None
    for pattern in TABLES[source]:
        read = pattern.read(message)
        if read is None:
            continue
        kind, attributes, fields = read
        side = pattern.side or TABLE_SIDES.get(source, "station")
        iface = attributes.get("iface")
        if iface is None:
            prefix = IFACE_PREFIX.match(message)
            iface = prefix.group("iface") if prefix else None
        peer, bssid = attributes.get("peer"), attributes.get("bssid")
        if side == "station":  # the station's other end is the AP
            peer = peer or bssid
            bssid = bssid or peer
        return Found(source, kind, side, pattern.merge, iface, peer, bssid, fields)
    return None
