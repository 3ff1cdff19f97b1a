"""Attribute types: how each nl80211 attribute's payload is laid out.

Why by name: numbers come from the generated :mod:`enums`; this file only says
what the kernel's nla_policy says about a payload (u32, flag, nested, ...), and
which value enum names its numbers.  ``tests/test_tables.py`` checks that every
name here exists in the generated tables, so a typo fails the build.

Kinds: u8 u16 u32 u64 s8 s16 s32 s64 flag string ssid mac binary suite suites
nested (children named by an enum) array (children are indexes, each holding
nested attributes) ies frame u32s (array of u32) bitmap (bit numbers named by
an enum) sta_flag_update and ``iftype_flags`` (children are iftype numbers).
Values of kind ``frame``/``ies``/``sae``/``eapol`` are decoded by the 802.11
layer above this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import enums


@dataclass(frozen=True, slots=True)
class Spec:
    kind: str
    enum: str | None = None  # value names (a generated enum, or a dot11 table)
    children: str | None = None  # enum naming nested attributes


def _table(text: str) -> dict[str, str]:
    """Parse 'kind: NAME NAME ...' lines into {NAME: kind}."""
    out: dict[str, str] = {}
    for line in text.strip().splitlines():
        kind, _, names = line.partition(":")
        for name in names.split():
            out[name] = kind.strip()
    return out


# Top-level nl80211 attributes (enum nl80211_attrs).
_TOP_KINDS = _table("""
u8: KEY_IDX STA_PLINK_ACTION MAX_NUM_SCAN_SSIDS WIPHY_RETRY_SHORT WIPHY_RETRY_LONG WIPHY_COVERAGE_CLASS
u8: 4ADDR MAX_NUM_PMKIDS STA_PLINK_STATE MAX_NUM_SCHED_SCAN_SSIDS MAX_MATCH_SETS TDLS_ACTION
u8: TDLS_DIALOG_TOKEN TDLS_OPERATION DFS_REGION P2P_CTWINDOW P2P_OPPPS OPMODE_NOTIF MAX_CSA_COUNTERS TSID
u8: USER_PRIO SMPS_MODE OPER_CLASS STA_SUPPORT_P2P_PS NAN_MASTER_PREF NSS STA_TX_POWER_SETTING
u8: PMK_REAUTH_THRESHOLD SAE_PWE COLOR_CHANGE_COUNT COLOR_CHANGE_COLOR MLO_LINK_ID WIPHY_RADIO_INDEX
u8: CH_SWITCH_BLOCK_TX REG_INITIATOR REG_TYPE
u16: STA_AID STA_LISTEN_INTERVAL MAX_SCAN_IE_LEN REASON_CODE STATUS_CODE FRAME_TYPE CONTROL_PORT_ETHERTYPE
u16: BSS_HT_OPMODE MAX_SCHED_SCAN_IE_LEN INACTIVITY_TIMEOUT BG_SCAN_PERIOD STA_CAPABILITY CRIT_PROT_ID
u16: MAX_CRIT_PROT_DURATION PEER_AID ADMITTED_TIME MEASUREMENT_DURATION MESH_PEER_AID AIRTIME_WEIGHT
u16: VLAN_ID FILS_ERP_NEXT_SEQ_NUM EML_CAPABILITY MLD_CAPA_AND_OPS MAX_NUM_AKM_SUITES MAX_HW_TIMESTAMP_PEERS
u16: MDID TID_BITMAP MGMT_SUBTYPE FILS_CACHE_ID
u32: WIPHY IFINDEX IFTYPE BEACON_INTERVAL DTIM_PERIOD STA_VLAN WIPHY_FREQ WIPHY_CHANNEL_TYPE GENERATION
u32: AUTH_TYPE KEY_TYPE WIPHY_FRAG_THRESHOLD WIPHY_RTS_THRESHOLD USE_MFP PID DURATION PS_STATE
u32: WIPHY_TX_POWER_SETTING WIPHY_TX_POWER_LEVEL WIPHY_ANTENNA_TX WIPHY_ANTENNA_RX MCAST_RATE
u32: WIPHY_ANTENNA_AVAIL_TX WIPHY_ANTENNA_AVAIL_RX MAX_REMAIN_ON_CHANNEL_DURATION SCHED_SCAN_INTERVAL
u32: HIDDEN_SSID DEVICE_AP_SME FEATURE_FLAGS PROBE_RESP_OFFLOAD USER_REG_HINT_TYPE CONN_FAILED_REASON
u32: SCAN_FLAGS CHANNEL_WIDTH CENTER_FREQ1 CENTER_FREQ2 LOCAL_MESH_POWER_MODE ACL_POLICY PROTOCOL_FEATURES
u32: CH_SWITCH_COUNT RXMGMT_FLAGS VENDOR_ID VENDOR_SUBCMD WIPHY_FREQ_HINT MAX_AP_ASSOC_STA
u32: TDLS_PEER_CAPABILITY SCHED_SCAN_DELAY MAX_NUM_SCHED_SCAN_PLANS MAX_SCAN_PLAN_INTERVAL
u32: MAX_SCAN_PLAN_ITERATIONS BANDS TIMEOUT_REASON SCHED_SCAN_MAX_REQS EXTERNAL_AUTH_ACTION TXQ_LIMIT
u32: TXQ_MEMORY_LIMIT TXQ_QUANTUM TIMEOUT PMK_LIFETIME WIPHY_FREQ_OFFSET CENTER_FREQ1_OFFSET
u32: AP_SETTINGS_FLAGS PUNCT_BITMAP VIF_RADIO_MASK WPA_VERSIONS NETNS_FD
u32: SCHED_SCAN_RELATIVE_RSSI NAN_SEQ_ID
u64: COOKIE WDEV SCAN_START_TIME_TSF OBSS_COLOR_BITMAP
s32: RX_SIGNAL_DBM ACK_SIGNAL
s16: STA_TX_POWER
flag: KEY_DEFAULT KEY_DEFAULT_MGMT FREQ_FIXED TIMED_OUT CONTROL_PORT PRIVACY DISCONNECTED_BY_AP
flag: SUPPORT_IBSS_RSN SUPPORT_MESH_AUTH SUPPORT_AP_UAPSD ROAM_SUPPORT TX_NO_CCK_RATE TDLS_SUPPORT
flag: TDLS_EXTERNAL_SETUP DONT_WAIT_FOR_ACK OFFCHANNEL_TX_OK LOCAL_STATE_CHANGE ACK CONTROL_PORT_NO_ENCRYPT
flag: DISABLE_HT DISABLE_VHT SPLIT_WIPHY_DUMP SUPPORT_5_MHZ SUPPORT_10_MHZ HANDLE_DFS SOCKET_OWNER
flag: TDLS_INITIATOR USE_RRM WIPHY_DYN_ACK WIPHY_SELF_MANAGED_REG REG_INDOOR PBSS
flag: MEASUREMENT_DURATION_MANDATORY MULTICAST_TO_UNICAST_ENABLED SCHED_SCAN_MULTI WANT_1X_4WAY_HS
flag: PORT_AUTHORIZED EXTERNAL_AUTH_SUPPORT CONTROL_PORT_OVER_NL80211 TWT_RESPONDER CONTROL_PORT_NO_PREAUTH
flag: RECEIVE_MULTICAST RECONNECT_REQUESTED DISABLE_HE DISABLE_EHT MLO_SUPPORT HW_TIMESTAMP_ENABLED
flag: ASSOC_SPP_AMSDU MLO_LINK_DISABLED BSS_DUMP_INCLUDE_USE_DATA EPCS DISABLE_UHR FRAME_NO_STA
flag: RADAR_BACKGROUND SUPPORT_MESH_AUTH ASSOC_ENCRYPTED
string: WIPHY_NAME IFNAME REG_ALPHA2
ssid: SSID MESH_ID
mac: MAC MPATH_NEXT_HOP PREV_BSSID MAC_HINT BSSID MAC_MASK MLD_ADDR MU_MIMO_FOLLOW_MAC_ADDR
mac: SCAN_START_TIME_TSF_BSSID NAN_NMI_MAC
suite: KEY_CIPHER CIPHER_SUITE_GROUP
suites: CIPHER_SUITES CIPHER_SUITES_PAIRWISE AKM_SUITES
ies: IE REQ_IE RESP_IE IE_PROBE_RESP IE_ASSOC_RESP IE_RIC BEACON_TAIL
frame: FRAME PROBE_RESP BEACON_HEAD
sae: AUTH_DATA
bitmap: EXT_FEATURES
sta_flag_update: STA_FLAGS2
iftype_flags: SUPPORTED_IFTYPES SOFTWARE_IFTYPES
frame_types: TX_FRAME_TYPES RX_FRAME_TYPES
u32s: SUPPORTED_COMMANDS
freqs: SCAN_FREQUENCIES
ssids: SCAN_SSIDS
nested: STA_INFO BSS KEY CQM SURVEY_INFO REKEY_DATA STA_WME TXQ_STATS MESH_CONFIG MESH_SETUP
nested: PMKSA_CANDIDATE BSS_SELECT FTM_RESPONDER HE_OBSS_PD HE_BSS_COLOR MBSSID_CONFIG SAR_SPEC
nested: STA_FLAGS
array: WIPHY_BANDS REG_RULES KEYS WIPHY_TXQ_PARAMS INTERFACE_COMBINATIONS SCHED_SCAN_MATCH
array: SCHED_SCAN_PLANS IFTYPE_AKM_SUITES MLO_LINKS WIPHY_RADIOS IFTYPE_EXT_CAPA
binary: KEY_DATA KEY_SEQ STA_SUPPORTED_RATES BSS_BASIC_RATES TESTDATA PMKID FRAME_MATCH VENDOR_DATA
binary: QOS_MAP PMK FILS_KEK FILS_NONCES PMKR0_NAME STA_EXT_CAPABILITY EXT_CAPA EXT_CAPA_MASK
binary: HT_CAPABILITY HT_CAPABILITY_MASK VHT_CAPABILITY VHT_CAPABILITY_MASK HE_CAPABILITY EHT_CAPABILITY
binary: HE_6GHZ_CAPABILITY STA_SUPPORTED_CHANNELS STA_SUPPORTED_OPER_CLASSES SAE_PASSWORD CSA_C_OFFSETS_TX
binary: CNTDWN_OFFS_BEACON CNTDWN_OFFS_PRESP TD_BITMAP FILS_ERP_USERNAME FILS_ERP_REALM FILS_ERP_RRK
""")

# Which value enum names a top-level attribute's number.
_TOP_ENUMS = {
    "IFTYPE": "nl80211_iftype",
    "AUTH_TYPE": "nl80211_auth_type",
    "EXTERNAL_AUTH_ACTION": "nl80211_external_auth_action",
    "CHANNEL_WIDTH": "nl80211_chan_width",
    "WIPHY_CHANNEL_TYPE": "nl80211_channel_type",
    "USE_MFP": "nl80211_mfp",
    "KEY_TYPE": "nl80211_key_type",
    "PS_STATE": "nl80211_ps_state",
    "REG_INITIATOR": "nl80211_reg_initiator",
    "REG_TYPE": "nl80211_reg_type",
    "DFS_REGION": "nl80211_dfs_regions",
    "USER_REG_HINT_TYPE": "nl80211_user_reg_hint_type",
    "TIMEOUT_REASON": "nl80211_timeout_reason",
    "SAE_PWE": "nl80211_sae_pwe_mechanism",
    "SMPS_MODE": "nl80211_smps_mode",
    "STA_PLINK_STATE": "nl80211_plink_state",
    "ACL_POLICY": "nl80211_acl_policy",
    "WIPHY_TX_POWER_SETTING": "nl80211_tx_power_setting",
    "HIDDEN_SSID": "nl80211_hidden_ssid",
    "TDLS_OPERATION": "nl80211_tdls_operation",
    "CRIT_PROT_ID": "nl80211_crit_proto_id",
    "CONN_FAILED_REASON": "nl80211_connect_failed_reason",
    "STATUS_CODE": "dot11:STATUS_CODES",
    "REASON_CODE": "dot11:REASON_CODES",
    "SUPPORTED_COMMANDS": "nl80211_commands",
    "EXT_FEATURES": "nl80211_ext_feature_index",
}

_TOP_FLAGS = {  # u32 bitmasks: names of the bits
    "RXMGMT_FLAGS": "nl80211_rxmgmt_flags",
    "WPA_VERSIONS": "nl80211_wpa_versions",
    "FEATURE_FLAGS": "nl80211_feature_flags",
    "SCAN_FLAGS": "nl80211_scan_flags",
    "PROTOCOL_FEATURES": "nl80211_protocol_features",
    "BANDS": None,
}

# Children enums of nested attributes and arrays.
_CHILDREN = {
    "STA_INFO": "nl80211_sta_info",
    "BSS": "nl80211_bss",
    "KEY": "nl80211_key_attributes",
    "KEYS": "nl80211_key_attributes",
    "CQM": "nl80211_attr_cqm",
    "SURVEY_INFO": "nl80211_survey_info",
    "REKEY_DATA": "nl80211_rekey_data",
    "STA_WME": "nl80211_sta_wme_attr",
    "TXQ_STATS": "nl80211_txq_stats",
    "MESH_CONFIG": "nl80211_meshconf_params",
    "MESH_SETUP": "nl80211_mesh_setup_params",
    "PMKSA_CANDIDATE": "nl80211_pmksa_candidate_attr",
    "BSS_SELECT": "nl80211_bss_select_attr",
    "FTM_RESPONDER": "nl80211_ftm_responder_attributes",
    "HE_OBSS_PD": "nl80211_obss_pd_attributes",
    "HE_BSS_COLOR": "nl80211_bss_color_attributes",
    "MBSSID_CONFIG": "nl80211_mbssid_config_attributes",
    "SAR_SPEC": "nl80211_sar_attrs",
    "STA_FLAGS": "nl80211_sta_flags",
    "WIPHY_BANDS": "nl80211_band_attr",
    "REG_RULES": "nl80211_reg_rule_attr",
    "WIPHY_TXQ_PARAMS": "nl80211_txq_attr",
    "INTERFACE_COMBINATIONS": "nl80211_if_combination_attrs",
    "SCHED_SCAN_MATCH": "nl80211_sched_scan_match_attr",
    "SCHED_SCAN_PLANS": "nl80211_sched_scan_plan",
    "IFTYPE_AKM_SUITES": "nl80211_iftype_akm_attributes",
    "MLO_LINKS": "nl80211_attrs",
    "WIPHY_RADIOS": "nl80211_wiphy_radio_attrs",
    "IFTYPE_EXT_CAPA": "nl80211_attrs",
}

# Types inside the nested sets users meet most, by child enum.
_NESTED_KINDS: dict[str, dict[str, str]] = {
    "nl80211_sta_info": _table("""
u32: INACTIVE_TIME RX_BYTES TX_BYTES RX_PACKETS TX_PACKETS TX_RETRIES TX_FAILED CONNECTED_TIME BEACON_LOSS
u32: EXPECTED_THROUGHPUT LOCAL_PM PEER_PM NONPEER_PM AIRTIME_LINK_METRIC RX_MPDUS FCS_ERROR_COUNT
u16: LLID PLID AIRTIME_WEIGHT
u8: PLINK_STATE BEACON_SIGNAL_AVG CONNECTED_TO_GATE CONNECTED_TO_AS
s8: SIGNAL SIGNAL_AVG ACK_SIGNAL ACK_SIGNAL_AVG
u64: RX_BYTES64 TX_BYTES64 T_OFFSET RX_DROP_MISC BEACON_RX RX_DURATION TX_DURATION
u64: ASSOC_AT_BOOTTIME
rate: TX_BITRATE RX_BITRATE
nested: BSS_PARAM
sta_flag_update: STA_FLAGS
binary: CHAIN_SIGNAL CHAIN_SIGNAL_AVG TID_STATS PAD
"""),
    "nl80211_rate_info": _table("""
u16: BITRATE
u32: BITRATE32 HE_RU_ALLOC EHT_RU_ALLOC
u8: MCS VHT_MCS VHT_NSS HE_MCS HE_NSS HE_GI HE_DCM EHT_MCS EHT_NSS EHT_GI
flag: 40_MHZ_WIDTH SHORT_GI 80_MHZ_WIDTH 80P80_MHZ_WIDTH 160_MHZ_WIDTH 10_MHZ_WIDTH 5_MHZ_WIDTH 320_MHZ_WIDTH
"""),
    "nl80211_sta_bss_param": _table("""
flag: CTS_PROT SHORT_PREAMBLE SHORT_SLOT_TIME
u8: DTIM_PERIOD
u16: BEACON_INTERVAL
"""),
    "nl80211_bss": _table("""
mac: BSSID
u32: FREQUENCY STATUS SEEN_MS_AGO CHAN_WIDTH FREQUENCY_OFFSET USE_FOR CANNOT_USE_REASONS
u64: TSF LAST_SEEN_BOOTTIME PARENT_TSF BEACON_TSF
u16: BEACON_INTERVAL CAPABILITY
s32: SIGNAL_MBM
u8: SIGNAL_UNSPEC MLO_LINK_ID
ies: INFORMATION_ELEMENTS BEACON_IES
flag: PRESP_DATA
mac: PARENT_BSSID MLD_ADDR
binary: PAD
"""),
    "nl80211_key_attributes": _table("""
binary: DATA SEQ
u8: IDX
suite: CIPHER
flag: DEFAULT DEFAULT_MGMT DEFAULT_BEACON
u32: TYPE MODE
nested: DEFAULT_TYPES
"""),
    "nl80211_band_attr": _table("""
array: FREQS RATES IFTYPE_DATA
binary: HT_MCS_SET VHT_MCS_SET S1G_MCS_NSS_SET
u16: HT_CAPA VHT_CAPA
u8: HT_AMPDU_FACTOR HT_AMPDU_DENSITY S1G_CAPA
u32: VHT_CAPA EDMG_CHANNELS EDMG_BW_CONFIG
"""),
    "nl80211_frequency_attr": _table("""
u32: FREQ MAX_TX_POWER DFS_STATE DFS_TIME DFS_CAC_TIME OFFSET
flag: DISABLED NO_IR NO_IBSS RADAR NO_HT40_MINUS NO_HT40_PLUS NO_80MHZ NO_160MHZ INDOOR_ONLY IR_CONCURRENT
flag: NO_20MHZ NO_10MHZ NO_HE NO_320MHZ NO_EHT PSD CAN_MONITOR ALLOW_6GHZ_VLP_AP ALLOW_20MHZ_ACTIVITY
binary: WMM
"""),
    "nl80211_bitrate_attr": _table("""
u32: RATE
flag: 2GHZ_SHORTPREAMBLE
"""),
    "nl80211_reg_rule_attr": _table("""
u32: REG_RULE_FLAGS FREQ_RANGE_START FREQ_RANGE_END FREQ_RANGE_MAX_BW POWER_RULE_MAX_ANT_GAIN
u32: POWER_RULE_MAX_EIRP DFS_CAC_TIME
s8: POWER_RULE_PSD
"""),
    "nl80211_attr_cqm": _table("""
s32: RSSI_THOLD
u32: RSSI_HYST RSSI_THRESHOLD_EVENT PKT_LOSS_EVENT TXE_RATE TXE_PKTS TXE_INTVL RSSI_LEVEL
flag: BEACON_LOSS_EVENT
"""),
    "nl80211_survey_info": _table("""
u32: FREQUENCY FREQUENCY_OFFSET
u8: NOISE
flag: IN_USE
u64: TIME TIME_BUSY TIME_EXT_BUSY TIME_RX TIME_TX TIME_SCAN TIME_BSS_RX
"""),
    "nl80211_if_combination_attrs": _table("""
array: LIMITS
u32: MAXNUM NUM_CHANNELS RADAR_DETECT_WIDTHS RADAR_DETECT_REGIONS BI_MIN_GCD
flag: STA_AP_BI_MATCH
"""),
    "nl80211_iface_limit_attrs": _table("""
u32: MAX
iftype_flags: TYPES
"""),
    "nl80211_txq_stats": _table("""
u32: BACKLOG_BYTES BACKLOG_PACKETS FLOWS DROPS ECN_MARKS OVERLIMIT OVERMEMORY COLLISIONS TX_BYTES TX_PACKETS
u32: MAX_FLOWS
"""),
    "nl80211_rekey_data": _table("""
binary: KEK KCK REPLAY_CTR
suites: AKM
"""),
    "nl80211_attrs": {},  # MLO_LINKS / IFTYPE_EXT_CAPA children reuse the top table
}

_NESTED_ENUMS = {
    ("nl80211_key_attributes", "TYPE"): "nl80211_key_type",
    ("nl80211_bss", "STATUS"): "nl80211_bss_status",
    ("nl80211_bss", "CHAN_WIDTH"): "nl80211_bss_scan_width",
    ("nl80211_attr_cqm", "RSSI_THRESHOLD_EVENT"): "nl80211_cqm_rssi_threshold_event",
    ("nl80211_sta_info", "PLINK_STATE"): "nl80211_plink_state",
    ("nl80211_frequency_attr", "DFS_STATE"): "nl80211_dfs_state",
}

# Nested children whose numbers are themselves array indexes -> their enum.
_ARRAY_CHILD = {
    "nl80211_band_attr/FREQS": "nl80211_frequency_attr",
    "nl80211_band_attr/RATES": "nl80211_bitrate_attr",
    "nl80211_band_attr/IFTYPE_DATA": "nl80211_band_iftype_attr",
    "nl80211_if_combination_attrs/LIMITS": "nl80211_iface_limit_attrs",
}

_NESTED_CHILDREN = {
    ("nl80211_sta_info", "BSS_PARAM"): "nl80211_sta_bss_param",
    ("nl80211_sta_info", "TX_BITRATE"): "nl80211_rate_info",
    ("nl80211_sta_info", "RX_BITRATE"): "nl80211_rate_info",
    ("nl80211_key_attributes", "DEFAULT_TYPES"): "nl80211_key_default_types",
}


def _build() -> dict[str, dict[int, Spec]]:
    """Resolve the name tables above into {enum: {attr number: Spec}}."""
    specs: dict[str, dict[int, Spec]] = {}
    top: dict[int, Spec] = {}
    names = {v: k for k, v in enums.ATTRS.items()}
    for name, kind in _TOP_KINDS.items():
        num = names[name]
        enum = _TOP_ENUMS.get(name) or _TOP_FLAGS.get(name)
        if name in _TOP_FLAGS:
            kind = "bitmask" if kind == "u32" else kind
        top[num] = Spec(kind, enum, _CHILDREN.get(name))
    specs["nl80211_attrs"] = top
    for enum_name, table in _NESTED_KINDS.items():
        if enum_name == "nl80211_attrs":
            continue
        child_names = {v: k for k, v in enums.ENUMS[enum_name].items()}
        resolved: dict[int, Spec] = {}
        for name, kind in table.items():
            if name not in child_names:
                raise KeyError(f"policy: {enum_name} has no {name}")
            children = _ARRAY_CHILD.get(f"{enum_name}/{name}") or _NESTED_CHILDREN.get((enum_name, name))
            if kind == "rate":
                kind, children = "nested", "nl80211_rate_info"
            resolved[child_names[name]] = Spec(kind, _NESTED_ENUMS.get((enum_name, name)), children)
        specs[enum_name] = resolved
    return specs


SPECS = _build()
DEFAULT = Spec("binary")


def spec_for(table: str, number: int) -> Spec:
    """The Spec of attribute ``number`` in the nested set named by ``table``."""
    return SPECS.get(table, {}).get(number, DEFAULT)


def all_policy_names() -> list[tuple[str, str]]:
    """(enum, name) pairs this policy mentions; the tests check they exist."""
    out = [("nl80211_attrs", n) for n in _TOP_KINDS]
    for enum_name, table in _NESTED_KINDS.items():
        out += [(enum_name, n) for n in table]
    out += [(e, "") for e in _TOP_ENUMS.values() if not e.startswith("dot11:")]
    out += [(e, "") for e in _CHILDREN.values()]
    return out
