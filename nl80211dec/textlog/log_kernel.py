"""The kernel's table: brcmfmac debug (``brcmf_dbg`` / ``bphy_err``), mac80211's client MLME, fmac_sim.

brcmfmac prints a firmware event on two lines (the name, then ``version ..
flags .. status .. reason ..``); the second row below is a *merge* row that
completes the event the first one made, so ``DEAUTH_IND`` carries its reason.
The lab's emulated FullMAC driver (``fmac_sim``, ``captures-fmac/*/fmac-kernel.log``)
logs through ``netdev_info``: "fmac0: CONNECT ...", optionally after its
module name.
"""

from __future__ import annotations

from .log_rows import MAC, fw_event, row, tx_ack

BRCMFMAC = (
    row("fw_event", "brcmf_fweh_event_worker event ",
        rf"brcmf_fweh_event_worker event (?P<event>\w+) \((?P<code>\d+)\) ifidx (?P<ifidx>\d+) "
        rf"bsscfg (?P<bsscfg>\d+) addr (?P<addr>{MAC})", derive=fw_event),
    row("fw_event", " flags ",
        r"brcmf_fweh_event_worker\s+version (?P<version>\d+) flags (?P<flags>\d+) status (?P<status>\d+) "
        r"reason (?P<reason>\d+)", merge=True),
    row("fw_mgmt_tx", "Auth frame, cookie=",
        r"Auth frame, cookie=(?P<cookie>\d+), fc=(?P<fc>[0-9A-Fa-f]+), len=(?P<len>\d+)"
        r"(?:, channel=(?P<channel>\d+))?"),
    row("fw_mgmt_tx_status", "TX Auth frame operation is ", r"TX Auth frame operation is (?P<outcome>\w+)",
        derive=tx_ack),
    row("external_auth_status", "External authentication failed: status=",
        r"External authentication failed: status=(?P<status>\d+)"),
    row("external_auth_error", "auth_status iovar failed: ret=", r"auth_status iovar failed: ret=(?P<errno>-?\d+)"),
    row("fw_iovar", "_data_set ifidx=",
        r"brcmf_fil_(?:iovar|bsscfg)_data_set ifidx=(?P<ifidx>\d+),(?: bsscfgidx=(?P<bsscfg>\d+),)? "
        r"name=(?P<name>\w+), len=(?P<len>\d+)"),
    row("fw_error", "Firmware error: ", r"Firmware error: (?P<error>\w+) \((?P<code>-?\d+)\)"),
    row("fw_connect", "brcmf_cfg80211_connect Enter", r"brcmf_cfg80211_connect Enter"),
    row("fw_connect_done", "brcmf_bss_connect_done Enter", r"brcmf_bss_connect_done Enter"),
    row("fw_link_down", "brcmf_link_down Enter", r"brcmf_link_down Enter"),
)

NET = (
    row("link_up", "link becomes ready", r"ADDRCONF\(NETDEV_CHANGE\): (?P<iface>[^\s:]+): link becomes ready"),
)

MAC80211 = (
    row("auth_start", "authenticate with ", rf"(?<!to )authenticate with (?P<bssid>{MAC})"),
    row("auth_tx", "send auth to ", rf"send auth to (?P<bssid>{MAC})(?: \(try (?P<try_no>\d+)/(?P<tries>\d+)\))?"),
    row("auth_timeout", " timed out", rf"authentication with (?P<bssid>{MAC}) timed out"),
    row("auth_ok", ": authenticated", r"^\S+: authenticated\s*$"),
    row("assoc_start", "associate with ",
        rf"associate with (?P<bssid>{MAC})(?: \(try (?P<try_no>\d+)/(?P<tries>\d+)\))?"),
    row("assoc_response", "AssocResp from ",
        rf"RX (?:Re)?AssocResp from (?P<bssid>{MAC}) \(capab=0x[0-9A-Fa-f]+ status=(?P<status>\d+)"
        r"(?: aid=(?P<aid>\d+))?"),
    row("associated", ": associated", r"^\S+: associated\s*$"),
    row("deauth_rx", "deauthenticated from ", rf"deauthenticated from (?P<bssid>{MAC}) \(Reason: (?P<reason>\d+)"),
    row("deauth_rx", "disassociated from ", rf"disassociated from (?P<bssid>{MAC}) \(Reason: (?P<reason>\d+)"),
    row("deauth_tx", " by local choice ",
        rf"deauthenticating from (?P<bssid>{MAC}) by local choice \(Reason: (?P<reason>\d+)", locally_generated=True),
)

FMAC_SIM = (
    row("fw_connect", "CONNECT ssid ",
        rf"CONNECT ssid (?P<ssid>.*) bssid (?P<bssid>{MAC}) akm (?P<akm>[0-9A-Fa-f]+) "
        r"flags (?P<connect_flags>[0-9A-Fa-f]+) pmkids (?P<pmkids>\d+) -> (?P<state>[\w-]+)"),
    row("external_auth_request", "EXTERNAL_AUTH ",
        rf"EXTERNAL_AUTH (?P<action_name>START|ABORT) for (?P<bssid>{MAC}) akm 0x(?P<akm>[0-9A-Fa-f]+): "
        r"(?P<errno>-?\d+)"),
    row("external_auth_status", "EXTERNAL_AUTH result from user space: ",
        r"EXTERNAL_AUTH result from user space: status (?P<status>\d+) pmkid (?P<pmkid_given>yes|no)"),
    row("external_auth_error", "knob ext_auth_ebade", r"knob ext_auth_ebade: -EBADE", errno=-52),
    row("join_timeout", "join timed out", r"join timed out"),
    row("connect_result", "join done in state ",
        r"join done in state (?P<state>[\w-]+): status (?P<status>\d+), reported (?P<reported>\d+)"),
    row("assoc_start", "association request to ", rf"association request to (?P<bssid>{MAC})"),
    row("auth_start", "open system auth to ", rf"open system auth to (?P<bssid>{MAC})", auth_type=0),
    row("pmksa_to_driver", "SET_PMKSA ", rf"SET_PMKSA (?P<bssid>{MAC})"),
    row("pmksa_removed", "DEL_PMKSA ", rf"DEL_PMKSA (?P<bssid>{MAC})"),
    row("disconnect_cmd", "DISCONNECT reason ", r"DISCONNECT reason (?P<reason>\d+) in state (?P<state>[\w-]+)"),
    row("deauth_tx", ", CCMP-protected", r"deauth reason (?P<reason>\d+), CCMP-protected", locally_generated=True),
    row("deauth_rx", "deauth/disassoc from AP", r"deauth/disassoc from AP, reason (?P<reason>\d+)"),
    row("knob", "knob ", r"knob (?P<name>\w+): (?P<what>.*)"),
)

KERNEL = BRCMFMAC + FMAC_SIM + MAC80211 + NET
