"""Who is on each side of a FullMAC external-auth flow: the supplicant's habits and the driver's.

Everything here was read from real runs, so that the scenario builder can
write each supplicant as it really talks, and each driver as it really
answers: the emulated-FullMAC lab runs (``captures/*-fmac-*``, wpa_supplicant
2.10 and iwd 3.8) and the Raspberry Pi iwmon logs (``captures/real-brcmfmac``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# The EXTERNAL_AUTH event's AKM_SUITES, as bytes.  The Pi's brcmfmac sends the RSN selector order, which
# wpa_supplicant 2.10 wants (RSN_SELECTOR_GET); the lab's fmac_sim without akm_swapped sends 0x000fac08 as a
# little-endian u32 (the order its README reads in mainline brcmfmac), which iwd 3.8 accepts and
# wpa_supplicant 2.10 silently ignores (captures/wpas-fmac-akm-host-order).
AKM_RSN_ORDER = bytes.fromhex("000fac08")
AKM_HOST_ORDER = bytes.fromhex("08ac0f00")

RSN_CAP_MFPC = 0x0080
RSN_CAP_MFPR_MFPC = 0x00C0
BIP_CMAC = bytes.fromhex("000fac06")


@dataclass(frozen=True)
class Supplicant:
    """How one supplicant drives external auth on nl80211 (from its lab runs; the Pi logs agree)."""

    name: str
    port: int
    connect: tuple[str, ...]  # CONNECT attributes, in the order the supplicant puts them
    wpa_versions: int  # iwd says WPA3 (4), wpa_supplicant WPA2 (2)
    rsn_caps: int
    group_mgmt: bytes | None  # wpa_supplicant names BIP-CMAC after an empty PMKID list: a 26-byte RSNE
    ies_after_rsn: bytes  # what follows the RSNE in CONNECT's IE
    # with a driver that roams by itself the BSS is named only as hints (MAC_HINT, WIPHY_FREQ_HINT); without,
    # wpa_supplicant pins MAC and WIPHY_FREQ too, and then also tells CMD_FRAME the frequency
    bss_hints: bool
    frame: tuple[str, ...]  # CMD_FRAME attributes (WIPHY_FREQ only with a pinned frequency, see bss_hints)
    waits_for_ack: bool  # False: DONT_WAIT_FOR_ACK, so the kernel sends no cookie reply
    cap_ack: bool  # NETLINK_CAP_ACK: an error echoes the request's header only
    set_pmksa: tuple[str, ...]  # SET_PMKSA attributes
    pmksa_after: str  # "report": right after EXTERNAL_AUTH status 0; "4way": after the handshake; "never"
    numbers_frames: bool  # wpa_supplicant gives its auth frames sequence numbers 1, 2, ...; iwd sends 0
    eapol_version: int
    pmksa_auth_type: int  # AUTH_TYPE of a CONNECT that offers a cached PMKID (both say Open System)


IWD = Supplicant(
    name="iwd", port=381,
    connect=("IFINDEX", "WIPHY_FREQ", "MAC", "SSID", "AUTH_TYPE", "EXTERNAL_AUTH_SUPPORT", "PRIVACY",
             "SOCKET_OWNER", "CIPHER_SUITES_PAIRWISE", "CIPHER_SUITE_GROUP", "USE_MFP", "AKM_SUITES",
             "WPA_VERSIONS", "CONTROL_PORT", "IE"),
    wpa_versions=4, rsn_caps=RSN_CAP_MFPC, group_mgmt=None,
    ies_after_rsn=bytes.fromhex("7f0a00000800000000000001"), bss_hints=False,
    frame=("IFINDEX", "FRAME"), waits_for_ack=True, cap_ack=False,
    set_pmksa=("IFINDEX", "PMKID", "MAC", "SSID", "PMK_LIFETIME", "PMK"), pmksa_after="4way",
    numbers_frames=False, eapol_version=2, pmksa_auth_type=0,
)

WPA_SUPPLICANT = Supplicant(
    name="wpa_supplicant", port=2923430256,
    connect=("IFINDEX", "SOCKET_OWNER", "MAC", "MAC_HINT", "WIPHY_FREQ", "WIPHY_FREQ_HINT", "SSID", "IE",
             "WPA_VERSIONS", "CIPHER_SUITES_PAIRWISE", "CIPHER_SUITE_GROUP", "AKM_SUITES", "CONTROL_PORT",
             "HT_CAPABILITY", "HT_CAPABILITY_MASK", "VHT_CAPABILITY", "VHT_CAPABILITY_MASK",
             "EXTERNAL_AUTH_SUPPORT", "USE_MFP", "SAE_PWE", "AUTH_TYPE", "PRIVACY"),
    wpa_versions=2, rsn_caps=RSN_CAP_MFPR_MFPC, group_mgmt=BIP_CMAC,
    ies_after_rsn=bytes.fromhex("7f0b00000a02004040000001203b025151"), bss_hints=True,
    frame=("IFINDEX", "WIPHY_FREQ", "DONT_WAIT_FOR_ACK", "FRAME"), waits_for_ack=False, cap_ack=True,
    set_pmksa=("IFINDEX", "PMKID", "MAC", "PMK_LIFETIME", "PMK_REAUTH_THRESHOLD", "PMK"), pmksa_after="report",
    numbers_frames=True, eapol_version=1, pmksa_auth_type=0,
)

# iwd 3.1-3.3 on the Raspberry Pis of the thread: the same, but it never gave a FullMAC driver its PMKSA
# (SET_PMKSA came with iwd 3.6; the Pi logs in captures/real-brcmfmac have none)
IWD_3_3 = replace(IWD, name="iwd-3.3", pmksa_after="never")

SUPPLICANTS = {s.name: s for s in (IWD, IWD_3_3, WPA_SUPPLICANT)}


@dataclass(frozen=True)
class Firmware:
    """What a FullMAC driver and its firmware show on nl80211.  The defaults are brcmfmac on a Raspberry Pi."""

    akm: bytes = AKM_RSN_ORDER
    # brcmfmac advertises firmware roaming, so wpa_supplicant sends only MAC_HINT/WIPHY_FREQ_HINT and no
    # WIPHY_FREQ in CMD_FRAME (the Pi's 2025-01-09 log); fmac_sim does not, and wpa_supplicant pins the BSS
    roaming: bool = True
    rx_signal: int | None = None  # brcmfmac hands the AP's frames up without a signal; fmac_sim says -50 dBm
    # the CONNECT event after a failed join: "16" (brcmf_bss_connect_done reports every failure as
    # WLAN_STATUS_AUTH_TIMEOUT), "real" (fmac_sim without status16: the AP's or the supplicant's status,
    # 16 only for its own timeout) or "none" (the Pi logs: after a failed external auth no event comes at all)
    failed_join: str = "16"

    def join_status(self, status: int) -> int | None:
        """The CONNECT event status this firmware reports for a join that failed with ``status``."""
        return {"16": 16, "real": status, "none": None}[self.failed_join]


BRCMFMAC = Firmware()
# fmac_sim, the lab's emulated driver, without knobs (akm_swapped=1 gives AKM_RSN_ORDER, status16=1 "16")
FMAC_SIM = Firmware(akm=AKM_HOST_ORDER, roaming=False, rx_signal=-50, failed_join="real")
