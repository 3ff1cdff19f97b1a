"""The user-space daemons' tables: iwd, wpa_supplicant, hostapd, connman (and journal markers).

Each table is read top to bottom and the first row that matches wins, so a
specific shape sits above a general one.  The texts are the daemons' own log
formats (iwd ``l_debug``/``l_info`` and ``[SAE]:`` debug, wpa_supplicant and
hostapd ``wpa_printf``/``wpa_msg``/``hostapd_logger``, connman's interface
and address messages), checked against the real journals in
``captures/real-brcmfmac`` and the lab logs in ``captures/*/``.
"""

from __future__ import annotations

from .log_rows import (
    HEX_BYTES,
    MAC,
    apipa,
    errno_from_text,
    h2e_method,
    iwd_result,
    locally_from_ap,
    row,
    sae_auth_data,
    sae_auth_frame,
    sae_message,
)

IWD = (
    row("daemon_start", "Wireless daemon version", r"Wireless daemon version (?P<daemon_version>\S+)"),
    row("connect_start", "connecting to BSS", rf"connecting to BSS (?P<bssid>{MAC})"),
    row("connect_start", "event: connect-info, ssid: ",
        rf"event: connect-info, ssid: (?P<ssid>.*?), bss: (?P<bssid>{MAC})(?:, signal: (?P<signal>-?\d+))?"),
    row("external_auth_expected", "FullMAC driver: ", r"FullMAC driver: (?P<driver>\S+) using SAE"),
    row("external_auth_request", "External Auth to SSID: ",
        rf"External Auth to SSID: (?P<ssid>.*), bssid: (?P<bssid>{MAC})"),
    # Without IWD_SAE_DEBUG these debug lines are all iwd says of the external-auth SAE: one per frame it sends
    # (commit, then confirm), then the success report (the real journals pair it with CMD_EXTERNAL_AUTH status 0).
    row("external_auth_frame_tx", "netdev_external_auth_sae_tx_authenticate()",
        r"netdev_external_auth_sae_tx_authenticate\(\)"),
    row("external_auth_status", "netdev_external_auth_sae_tx_associate()",
        r"netdev_external_auth_sae_tx_associate\(\)", status=0),
    row("external_auth_error", "Failed to send External Auth: ",
        r"Failed to send External Auth: (?P<reason_text>.*?) ?\((?P<errno>\d+)\)"),
    row("pmksa_used", "Skipping SAE by using PMKSA cache", r"Skipping SAE by using PMKSA cache"),
    row("pmksa_found", "Returning entry with PMKID: ", r"Returning entry with PMKID: (?P<pmkid>[0-9A-Fa-f]+)"),
    row("pmksa_added", "Adding entry with PMKID: ", r"Adding entry with PMKID: (?P<pmkid>[0-9A-Fa-f]+)"),
    row("pmksa_to_driver", "Adding PMKSA to kernel", r"Adding PMKSA to kernel"),
    row("state_change", "event: state, old: ", r"event: state, old: (?P<old>.*?), new: (?P<new>.*?)\s*$"),
    row("state_change", "Old State: ", r"Old State: (?P<old>.*?), new state: (?P<new>.*?)\s*$"),
    row("sae_method", "[SAE]: Using SAE ", r"\[SAE\]: Using SAE (?P<method>H2E|Hunting and Pecking)",
        derive=h2e_method),
    row("sae_group", "[SAE]: Using group ", r"\[SAE\]: Using group (?P<group>\d+)"),
    row("sae_group_rejected", "AP rejected group", r"AP rejected group, trying again with group (?P<group>\d+)"),
    row("sae_commit_tx", "[SAE]: Sending Commit to ", rf"\[SAE\]: Sending Commit to (?P<peer>{MAC})"),
    row("sae_confirm_tx", "[SAE]: Sending Confirm to ",
        rf"\[SAE\]: Sending Confirm to (?P<peer>{MAC})(?: sc=(?P<send_confirm>\d+))?"),
    row("sae_{message}_rx", "[SAE]: Received frame ",
        r"\[SAE\]: Received frame transaction=(?P<transaction>\d+) status=(?P<status>\d+)(?: state=(?P<state>\w+))?",
        derive=sae_message),
    row("sae_verify_failed", "Frame did not verify", r"Frame did not verify(?: \((?P<reason_text>[^)]*)\))?",
        derive=errno_from_text),
    row("sae_complete", "[SAE]: Sending Associate to ", rf"\[SAE\]: Sending Associate to (?P<peer>{MAC})"),
    row("connect_event", "netdev_connect_event()", r"netdev_connect_event\(\)\s*$"),
    row("eapol_rx", "eapol_handle_ptk_", r"eapol_handle_ptk_(?P<msg>[13])_of_4\(\)(?: ifindex=(?P<ifindex>\d+))?"),
    row("handshake_complete", "station_handshake_event() Setting keys", r"station_handshake_event\(\) Setting keys"),
    row("connect_result", "station_connect_cb() ", r"station_connect_cb\(\) (?P<ifindex>\d+), result: (?P<result>\d+)",
        derive=iwd_result),
    row("disconnected", "Received Deauthentication event, reason: ",
        r"Received Deauthentication event, reason: (?P<reason>\d+), from_ap: (?P<from_ap>true|false)",
        derive=locally_from_ap),
    row("disconnect_info", "event: disconnect-info, reason: ", r"event: disconnect-info, reason: (?P<reason>\d+)"),
    row("auth_timeout", "event: authentication-timeout", r"event: authentication-timeout"),
    row("connect_failed", "event: connect-failed", r"event: connect-failed(?:, status: (?P<status>\d+))?"),
    row("ip_address", "installing address: ", r"installing address: (?P<address>[0-9A-Fa-f.:]+)", derive=apipa),
)

WPA_SUPPLICANT = (
    row("daemon_start", "wpa_supplicant v", r"^wpa_supplicant v(?P<daemon_version>\S+)"),
    row("daemon_stop", "CTRL-EVENT-TERMINATING", r"CTRL-EVENT-TERMINATING"),
    row("state_change", "State: ", r"State: (?P<old>[A-Z0-9_]+) -> (?P<new>[A-Z0-9_]+)"),
    row("auth_start", "SME: Trying to authenticate with ",
        rf"SME: Trying to authenticate with (?P<bssid>{MAC}) \(SSID='(?P<ssid>.*)' freq=(?P<freq>\d+) MHz\)"),
    row("assoc_start", "Trying to associate with ",
        rf"Trying to associate with (?P<bssid>{MAC}) \(SSID='(?P<ssid>.*)' freq=(?P<freq>\d+) MHz\)"),
    row("assoc_start", "Trying to associate with SSID ", r"Trying to associate with SSID '(?P<ssid>.*)'"),
    row("external_auth_request", "External auth action: ",
        r"External auth action: (?P<action>\d+), AKM: (?:0x)?(?P<akm>[0-9A-Fa-f]+)"),
    row("external_auth_status", "External auth status: ", r"External auth status: (?P<status>\d+)"),
    row("sae_group", "SME: Selected SAE group ", r"SME: Selected SAE group (?P<group>\d+)"),
    row("sae_{message}_tx", "auth_data - hexdump", rf"\* auth_data - hexdump\(len=\d+\): (?P<hex>{HEX_BYTES})",
        derive=sae_auth_data),
    row("sae_{message}_tx", "CMD_FRAME - hexdump", rf"CMD_FRAME - hexdump\(len=\d+\): (?P<hex>{HEX_BYTES})",
        derive=sae_auth_frame),
    row("sae_{message}_rx", "SME: SAE authentication transaction ",
        r"SME: SAE authentication transaction (?P<transaction>\d+) status code (?P<status>\d+)", derive=sae_message),
    row("auth_rx", "SME: Authentication response: ",
        rf"SME: Authentication response: peer=(?P<peer>{MAC}) auth_type=(?P<auth_type>(?!3\b)\d+) "
        r"auth_transaction=(?P<transaction>\d+) status_code=(?P<status>\d+)"),
    row("sae_group_rejected", "SME: SAE group not supported", r"SME: SAE group not supported"),
    row("sae_token_requested", "anti-clogging token requested",
        r"anti-clogging token requested(?: \(group (?P<group>\d+)\))?"),
    row("sae_confirm_mismatch", "SAE: Confirm mismatch", r"SAE: Confirm mismatch"),
    row("sae_unknown_password_id", "CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER",
        rf"CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER(?: (?P<bssid>{MAC}))?"),
    row("sae_complete", "SME: SAE completed", r"SME: SAE completed"),
    row("auth_reject", "CTRL-EVENT-AUTH-REJECT ",
        rf"CTRL-EVENT-AUTH-REJECT (?P<bssid>{MAC}) auth_type=(?P<auth_type>\d+) "
        r"auth_transaction=(?P<transaction>\d+) status_code=(?P<status>\d+)"),
    row("assoc_reject", "CTRL-EVENT-ASSOC-REJECT",
        rf"CTRL-EVENT-ASSOC-REJECT(?: bssid=(?P<bssid>{MAC}))? status_code=(?P<status>\d+)"),
    row("connected", "CTRL-EVENT-CONNECTED", rf"CTRL-EVENT-CONNECTED - Connection to (?P<bssid>{MAC}) completed"),
    row("disconnected", "CTRL-EVENT-DISCONNECTED",
        rf"CTRL-EVENT-DISCONNECTED(?: bssid=(?P<bssid>{MAC}))?(?: reason=(?P<reason>\d+))?"
        r"(?: locally_generated=(?P<locally_generated>[01]))?", locally_generated=False),
    row("ssid_temp_disabled", "CTRL-EVENT-SSID-TEMP-DISABLED ",
        r'CTRL-EVENT-SSID-TEMP-DISABLED id=(?P<id>\d+) ssid="(?P<ssid>.*)" auth_failures=(?P<auth_failures>\d+) '
        r"duration=(?P<duration>\d+)(?: reason=(?P<reason_text>\S+))?"),
    row("ssid_reenabled", "CTRL-EVENT-SSID-REENABLED ",
        r'CTRL-EVENT-SSID-REENABLED id=(?P<id>\d+) ssid="(?P<ssid>.*)"'),
    row("network_not_found", "CTRL-EVENT-NETWORK-NOT-FOUND", r"CTRL-EVENT-NETWORK-NOT-FOUND"),
    row("auth_timeout", "SME: Authentication timed out", r"SME: Authentication timed out"),
    row("assoc_timeout", "SME: Association timed out", r"SME: Association timed out"),
    row("bss_skipped", "skip RSN IE - no mgmt frame protection enabled but AP requires it",
        r"skip RSN IE - no mgmt frame protection enabled but AP requires it", why="mfp_required"),
    row("bss_skipped", "skip - SAE H2E required, but not supported by the AP",
        r"skip - SAE H2E required, but not supported by the AP", why="h2e_required"),
    row("bss_skipped", "skip - rate sets do not match", r"skip - rate sets do not match", why="rates"),
    row("bss_skipped", "skip - BSSID ignored", r"skip - BSSID ignored", why="ignored"),
    row("bss_skipped", "skip - disabled", r"skip - disabled\s*$", why="disabled"),
    row("h2e_disabled", "SAE H2E disabled", r"SAE H2E disabled"),
    row("pmksa_used", "try to use PMKSA caching instead of new SAE authentication",
        r"PMKSA cache entry found - try to use PMKSA caching instead of new SAE authentication"),
    row("pmksa_rejected", "PMKSA caching attempt rejected", r"PMKSA caching attempt rejected"),
    row("pmksa_added", "PMKSA-CACHE-ADDED ", rf"PMKSA-CACHE-ADDED (?P<bssid>{MAC})"),
    row("pmksa_removed", "PMKSA-CACHE-REMOVED ", rf"PMKSA-CACHE-REMOVED (?P<bssid>{MAC})"),
    row("pmksa_to_driver", "NL80211_CMD_SET_PMKSA failed: ", r"NL80211_CMD_SET_PMKSA failed: (?P<errno>-?\d+)"),
    row("eapol_rx", " of 4-Way Handshake from ", rf"RX message (?P<msg>\d) of 4-Way Handshake from (?P<bssid>{MAC})"),
    row("eapol_tx", "Sending EAPOL-Key ", r"Sending EAPOL-Key (?P<msg>\d)/4"),
    row("handshake_complete", "Key negotiation completed with ", rf"Key negotiation completed with (?P<bssid>{MAC})"),
    row("handshake_failed", "4-Way Handshake failed", r"4-Way Handshake failed"),
)

HOSTAPD = (
    row("daemon_start", "Configuration file: ", r"^Configuration file: (?P<config>.*)"),
    row("ap_enabled", "AP-ENABLED", r"AP-ENABLED"),
    row("ap_disabled", "AP-DISABLED", r"AP-DISABLED"),
    # A commit waiting in hostapd's SAE queue is logged again "(from queue)": one frame, one event.
    row("sae_{message}_rx", "authentication: STA=",
        rf"authentication: STA=(?P<peer>{MAC}) auth_alg=3 auth_transaction=(?P<transaction>\d+) "
        r"status_code=(?P<status>\d+)(?: wep=\d+)?(?: seq_ctrl=0x[0-9a-fA-F]+)?\s*$", derive=sae_message),
    row("auth_rx", "authentication: STA=",
        rf"authentication: STA=(?P<peer>{MAC}) auth_alg=(?P<auth_type>(?!3\b)\d+) "
        r"auth_transaction=(?P<transaction>\d+) status_code=(?P<status>\d+)(?: wep=\d+)?"
        r"(?: seq_ctrl=0x[0-9a-fA-F]+)?\s*$"),
    row("sae_{message}_tx", "authentication reply: STA=",
        rf"authentication reply: STA=(?P<peer>{MAC}) auth_alg=3 auth_transaction=(?P<transaction>\d+) "
        r"resp=(?P<status>\d+)", derive=sae_message),
    row("auth_tx", "authentication reply: STA=",
        rf"authentication reply: STA=(?P<peer>{MAC}) auth_alg=(?P<auth_type>(?!3\b)\d+) "
        r"auth_transaction=(?P<transaction>\d+) resp=(?P<status>\d+)"),
    row("sae_unknown_password_id", "assword", rf"(?i)unknown.password.identifier(?: (?P<peer>{MAC}))?"),
    row("sae_unknown_password_id", "SAE: No password available", r"SAE: No password available",
        why="no password for the identifier"),
    row("sae_state", "SAE: State ",
        rf"SAE: State (?P<old>\w+) -> (?P<new>\w+) for peer (?P<peer>{MAC})(?: \((?P<why>[^)]*)\))?"),
    row("sae_confirm_mismatch", "SAE: Confirm mismatch", r"SAE: Confirm mismatch"),
    row("sae_group_rejected", " not enabled in the current configuration",
        r"SAE: Proposed group (?P<group>\d+) not enabled in the current configuration"),
    row("sae_group", "SAE: Selecting supported ECC group ", r"SAE: Selecting supported ECC group (?P<group>\d+)"),
    row("sae_token_requested", "SAE: Request anti-clogging token from ",
        rf"SAE: Request anti-clogging token from (?P<peer>{MAC})"),
    row("sae_no_pmksa", "SAE: No PMKSA cache entry found for ",
        rf"SAE: No PMKSA cache entry found for (?P<peer>{MAC})"),
    row("sae_no_pmksa", "No PMKSA cache entry found for SAE",
        rf"STA (?P<peer>{MAC}) WPA: No PMKSA cache entry found for SAE"),
    row("pmksa_used", " using PMKSA caching", rf"SAE: (?P<peer>{MAC}) using PMKSA caching"),
    row("pmksa_added", "added PMKSA cache entry for ", rf"added PMKSA cache entry for (?P<peer>{MAC})"),
    row("auth_ok", "IEEE 802.11: authentication OK",
        rf"STA (?P<peer>{MAC}) IEEE 802.11: authentication OK(?: \((?P<auth_name>[^)]*)\))?"),
    row("associated", "IEEE 802.11: associated",
        rf"STA (?P<peer>{MAC}) IEEE 802.11: associated(?: \(aid (?P<aid>\d+)\))?"),
    row("ap_deauth", " IEEE 802.11: ",
        rf"STA (?P<peer>{MAC}) IEEE 802.11: (?P<what>deauthenticated|disassociated)(?: due to (?P<why>.*))?\s*$"),
    row("eapol_tx", " msg of 4-Way Handshake",
        rf"STA (?P<peer>{MAC}) WPA: sending (?P<msg>\d)/4 msg of 4-Way Handshake"),
    row("eapol_rx", "received EAPOL-Key frame (",
        rf"STA (?P<peer>{MAC}) WPA: received EAPOL-Key frame \((?P<msg>\d)/4 Pairwise\)"),
    row("handshake_complete", "EAPOL-4WAY-HS-COMPLETED ", rf"EAPOL-4WAY-HS-COMPLETED (?P<peer>{MAC})"),
    row("handshake_failed", "AP-STA-POSSIBLE-PSK-MISMATCH ", rf"AP-STA-POSSIBLE-PSK-MISMATCH (?P<peer>{MAC})"),
    row("ap_sta_connected", "AP-STA-CONNECTED ", rf"AP-STA-CONNECTED (?P<peer>{MAC})"),
    row("ap_sta_disconnected", "AP-STA-DISCONNECTED ", rf"AP-STA-DISCONNECTED (?P<peer>{MAC})"),
    row("deauth_rx", "deauthentication: STA=", rf"deauthentication: STA=(?P<peer>{MAC}) reason_code=(?P<reason>\d+)"),
)

CONNMAN = (
    row("state_change", " ] state is ", r"Interface (?P<iface>\S+) \[ (?P<technology>\w+) \] state is (?P<new>\w+)"),
    row("ip_address", " {add} address ",
        r"(?P<iface>\S+) \{add\} address (?P<address>[0-9A-Fa-f.:]+)/(?P<prefix>\d+)", derive=apipa),
)

JOURNAL = (
    row("boot", "Boot ", r"^Boot (?P<boot_id>[0-9a-f]+)$"),
    row("boot", "Reboot", r"^Reboot$"),
)
