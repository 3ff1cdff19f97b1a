"""Write, step by step, iwmon-style captures of FullMAC external-auth flows (brcmfmac on a Raspberry Pi).

The named flows built with it are in :mod:`.scenarios`; the builder is held
to the real runs there.  What the real runs show, and the builder writes:

* the supplicant's own habits (:mod:`.flavours`): iwd's and wpa_supplicant's
  CONNECT attributes, WPA versions and RSNEs differ; wpa_supplicant sends
  auth frames with DONT_WAIT_FOR_ACK and gets only the ACK, iwd also gets the
  cookie reply (cookie 0); both get FRAME_TX_STATUS before the ACK;
* success ACKs echo only the request header (NLM_F_CAPPED); an error echoes
  the whole request to iwd (no NETLINK_CAP_ACK), the header to wpa_supplicant;
* unicast events (EXTERNAL_AUTH, FRAME RX) carry port id 0 and seq 0;
  the AP's frames come with WIPHY_FREQ_OFFSET, RXMGMT_FLAGS 2 after the frame,
  A3 = 00:00:00:00:00:00, no signal (brcmfmac);
* wpa_supplicant hands the PMKSA to the driver right after its status report,
  iwd 3.8 after the 4-way handshake; EAPoL goes over the netdev (PAE records),
  key information with descriptor version 0 (AKM-defined, SAE);
* after a failed join the firmware reports status 16, the real status or
  nothing (:class:`.flavours.Firmware`); iwmon may zero key-carrying requests
  (``zeroed``) and iwmon 3.1 prints multicast events twice (``doubled_events``).

Every layout is built with the Construct schemas (:mod:`.writers`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from construct import Int16ul, Int32sl, Int32ul, Int64ul

from ..air.radiotap import RadiotapMinimal
from ..dot11.schemas import Element, MgmtFrame, RsnBody, eapol_frame
from ..nl80211 import enums
from ..sae import schemas as sae_schemas
from ..sae.groups import GROUPS, scalar_mult
from .flavours import BRCMFMAC, SUPPLICANTS, Firmware
from .writers import genl_message, nl_message, nlattr, pcap_bytes, sll_record

CMD = {v: k for k, v in enums.COMMANDS.items()}
ATTR = {v: k for k, v in enums.ATTRS.items()}

SEED_SSID = b"deskSAE"
SEED_BSSID = "d8:3a:dd:60:a3:0c"
SEED_STATION = "d8:3a:dd:d2:ae:3c"
CCMP = bytes.fromhex("000fac04")
SAE_AKM = bytes.fromhex("000fac08")
NLM_F_REQUEST_ACK = 0x5
NLM_F_DUMP_REQUEST = 0x305  # REQUEST | ACK | DUMP
NLM_F_MULTI = 0x2
NLMSG_DONE = 3
BSS = {v: k for k, v in enums.ENUMS["nl80211_bss"].items()}
STA_INFO = {v: k for k, v in enums.ENUMS["nl80211_sta_info"].items()}
NLM_F_CAPPED = 0x100
MULTICAST = frozenset({"FRAME_TX_STATUS", "CONNECT", "DISCONNECT"})  # events every nl80211 listener gets
PAE_IN, PAE_OUT = 0, 4  # cooked-header packet types of received and sent EAPoL frames
# what brcmfmac's firmware puts around the supplicant's RSNE in its own Association Request (the Pi logs:
# power capability, supported channels; extended capabilities, a Broadcom element and 4 zero bytes after)
ASSOC_BEFORE_RSN = bytes.fromhex("010882848b962430486c32040c121860210203142402010b")
ASSOC_AFTER_RSN = bytes.fromhex("7f080000000000000040dd0900101802000010000000000000")
ASSOC_RESPONSE = bytes.fromhex("010882848b960c12182432043048606c7f080400000000000040")


def _mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def _u32(v: int) -> bytes:
    return Int32ul.build(v)


def _u16(v: int) -> bytes:
    return Int16ul.build(v)


def _u64(v: int) -> bytes:
    return Int64ul.build(v)


def _radiotap(t: float) -> bytes:
    return RadiotapMinimal.build({"version": 0, "pad": 0, "length": 22, "present": 0x0F,
                                  "tsft": int(t * 1e6), "flags": 0, "rate": 2, "channel_freq": 2412,
                                  "channel_flags": 0x00A0})


def rsn_ie(*, caps: int = 0x0080, pmkid: bytes | None = None, group_mgmt: bytes | None = None) -> bytes:
    """An RSNE for SAE/CCMP; the optional tail (PMKID list, group management cipher) only as far as it is used."""
    body = RsnBody.build({"version": 1, "group_cipher": CCMP, "pairwise": {"count": 1, "suites": [CCMP]},
                          "akms": {"count": 1, "suites": [SAE_AKM]}, "capabilities": caps,
                          "pmkids": {"count": int(pmkid is not None), "ids": [pmkid] if pmkid else []},
                          "group_mgmt_cipher": group_mgmt or bytes(4)})
    if group_mgmt is None:
        body = body[:-4] if pmkid is not None else body[:-6]
    return Element.build({"id": 48, "data": body})


class ExternalAuthScenario:
    """Build, step by step, what iwmon records when a supplicant runs SAE for a FullMAC driver.

    ``supplicant`` is "iwd" (3.8), "iwd-3.3" or "wpa_supplicant" (:data:`.flavours.SUPPLICANTS`);
    ``firmware`` the driver's behaviour (default: brcmfmac on a Pi);
    ``zeroed`` the requests iwmon's copy lost to the kernel's wipe;
    ``doubled_events`` prints multicast events twice, as iwmon 3.1 did.
    """

    def __init__(self, *, supplicant: str = "iwd", firmware: Firmware = BRCMFMAC,
                 zeroed: Iterable[str] = ("NEW_KEY",), doubled_events: bool = False, ssid: bytes = SEED_SSID,
                 bssid: str = SEED_BSSID, station: str = SEED_STATION, ifindex: int = 3, wiphy: int = 0,
                 family_id: int = 0x1B, group: int = 19, h2e: bool = False, t0: float = 1734888157.0,
                 newfamily: bool = True, seed: int = 1) -> None:
        self.sup = SUPPLICANTS[supplicant]
        self.h2e = h2e  # hash-to-element: SAE_PWE 2, an RSNXE, commits with status 126
        self.fw = firmware
        self.zeroed = frozenset(zeroed)
        self.doubled_events = doubled_events
        self.ssid, self.bssid, self.station = ssid, _mac(bssid), _mac(station)
        self.ifindex, self.wiphy, self.family, self.group = ifindex, wiphy, family_id, group
        self.t = t0
        self.records: list[tuple[float, bytes]] = []
        self.seq = 1000
        self.seed = seed
        self.scalars: dict[str, bytes] = {}
        self.sc = 0
        self.frame_seq = 0
        self.pmkid_offered: bytes | None = None
        self.air: list[tuple[float, bytes]] = []  # the same moment seen by a monitor radio
        self.air_clock = 0.137  # the monitor's clock runs ahead; the join must estimate this
        self.air_seq = 0
        if newfamily:
            req = genl_message(0x10, 3, nlattr(2, b"nl80211\0"), flags=NLM_F_REQUEST_ACK, seq=self._next_seq(),
                               pid=self.sup.port)
            self._record(req)
            self._record(genl_message(0x10, 1, nlattr(1, _u16(self.family)) + nlattr(2, b"nl80211\0"),
                                      seq=self.seq, pid=self.sup.port))
            self._record(self._ack(req))

    # -- plumbing ---------------------------------------------------------
    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _record(self, payload: bytes, *, protocol: int = 16, hatype: int = 824, pkttype: int = 0,
                dt: float = 0.0007) -> None:
        self.t += dt
        self.records.append((self.t, sll_record(payload, protocol=protocol, hatype=hatype, pkttype=pkttype)))

    def _nl80211(self, cmd: str, attrs: list[tuple[str, bytes]], *, request: bool = False, seq: int = 0,
                 pid: int = 0) -> bytes:
        body = b"".join(nlattr(ATTR[n], v) for n, v in attrs)
        return genl_message(self.family, CMD[cmd], body, flags=NLM_F_REQUEST_ACK if request else 0, seq=seq,
                            pid=pid)

    def _event(self, cmd: str, attrs: list[tuple[str, bytes]], *, dt: float) -> None:
        msg = self._nl80211(cmd, attrs)
        self._record(msg, dt=dt)
        if self.doubled_events and cmd in MULTICAST:
            self._record(msg, dt=0.00002)

    def _ack(self, request: bytes, errno: int = 0) -> bytes:
        """NLMSG_ERROR: the request's header only, unless an error goes to a socket without NETLINK_CAP_ACK."""
        seq, pid = Int32ul.parse(request[8:12]), Int32ul.parse(request[12:16])
        whole = errno != 0 and not self.sup.cap_ack
        return nl_message(2, Int32ul.build(errno & 0xFFFFFFFF) + (request if whole else request[:16]),
                          flags=0 if whole else NLM_F_CAPPED, seq=seq, pid=pid)

    def _request(self, cmd: str, attrs: list[tuple[str, bytes]], *, errno: int = 0, reply: list | None = None,
                 tx_status: bytes | None = None) -> None:
        req = self._nl80211(cmd, attrs, request=True, seq=self._next_seq(), pid=self.sup.port)
        self._record(req[:16] + bytes(len(req) - 16) if cmd in self.zeroed else req)
        if tx_status is not None:
            self._tx_status(tx_status)
        if reply is not None:
            self._record(self._nl80211(cmd, reply, seq=self.seq, pid=self.sup.port), dt=0.00001)
        self._record(self._ack(req, errno), dt=0.00001 if tx_status is not None else 0.0005)

    def _tx_status(self, msg: bytes) -> None:
        self._record(msg, dt=0.002)
        if self.doubled_events:
            self._record(msg, dt=0.00002)

    def _point(self, who: str) -> tuple[bytes, bytes]:
        """A valid commit (scalar, element) for ``who``: element = k·G, deterministic per scenario."""
        g = GROUPS[self.group]
        c = g.curve
        assert c is not None, "scenarios use ECC groups"
        h = hashlib.sha512(f"{self.seed}:{who}:{self.sc}".encode()).digest()
        k = int.from_bytes(h, "big") % (c.n - 2) + 2
        s = int.from_bytes(hashlib.sha512(h).digest(), "big") % (c.n - 2) + 2
        x, y = scalar_mult(c, k, (c.gx, c.gy))  # type: ignore[misc]
        n = g.prime_len
        scalar = s.to_bytes(g.order_len, "big")
        self.scalars[who] = scalar
        return scalar, x.to_bytes(n, "big") + y.to_bytes(n, "big")

    def _auth_frame(self, *, tx: bool, seq: int, status: int, body: bytes) -> bytes:
        if tx:
            a1, a2, a3 = self.bssid, self.station, self.bssid
            self.frame_seq += self.sup.numbers_frames
            seq_ctrl = self.frame_seq << 4
        else:  # brcmfmac RX: A3 zero, no duration, no sequence number
            a1, a2, a3, seq_ctrl = self.station, self.bssid, bytes(6), 0
        return MgmtFrame.build({"header": {"frame_control": 0x00B0, "duration": 0, "addr1": a1, "addr2": a2,
                                           "addr3": a3, "seq_ctrl": seq_ctrl},
                                "body": {"algorithm": 3, "transaction": seq, "status": status, "rest": body}})

    def commit_body(self, who: str, *, token: bytes = b"", h2e: bool = False) -> bytes:
        self.sc += 1
        scalar, element = self._point(who)
        elements = [{"length": len(token) + 1, "ext_id": 93, "data": token}] if (h2e and token) else []
        return sae_schemas.commit(self.group, 0 if h2e else len(token)).build(
            {"token": b"" if h2e else token, "scalar": scalar, "element": element, "elements": elements})

    def _rsn(self, pmkid: bytes | None = None) -> bytes:
        """The supplicant's RSNE (iwd: 20 bytes, 38 with a PMKID; wpa_supplicant: 26 with BIP-CMAC)."""
        return rsn_ie(caps=self.sup.rsn_caps, pmkid=pmkid, group_mgmt=self.sup.group_mgmt)

    def _rsnx(self) -> bytes:
        """The RSNXE a supplicant adds for H2E (bit 5: SAE hash-to-element)."""
        return Element.build({"id": 0xF4, "data": b"\x20"}) if self.h2e else b""

    # -- steps ---------------------------------------------------------------
    def scan_result(self, *, h2e_only: bool = False) -> None:
        """The AP as a GET_SCAN dump shows it: its elements, with the H2E-only membership selector when asked."""
        ext_rates = bytes.fromhex("3048606c") + (b"\xfb" if h2e_only else b"")
        ies = (Element.build({"id": 0, "data": self.ssid}) + bytes.fromhex("010882848b960c121824030101")
               + Element.build({"id": 50, "data": ext_rates}) + rsn_ie(caps=0x00C0)
               + (Element.build({"id": 0xF4, "data": b"\x20"}) if h2e_only else b""))
        bss = (nlattr(BSS["BSSID"], self.bssid) + nlattr(BSS["FREQUENCY"], _u32(2412))
               + nlattr(BSS["INFORMATION_ELEMENTS"], ies))
        req = genl_message(self.family, CMD["GET_SCAN"], nlattr(ATTR["IFINDEX"], _u32(self.ifindex)),
                           flags=NLM_F_DUMP_REQUEST, seq=self._next_seq(), pid=self.sup.port)
        self._record(req)
        self._record(genl_message(self.family, CMD["NEW_SCAN_RESULTS"],
                                  nlattr(ATTR["IFINDEX"], _u32(self.ifindex)) + nlattr(ATTR["BSS"], bss, nested=True),
                                  flags=NLM_F_MULTI, seq=self.seq, pid=self.sup.port), dt=0.0002)
        self._record(nl_message(NLMSG_DONE, _u32(0), flags=NLM_F_MULTI, seq=self.seq, pid=self.sup.port), dt=0.0001)

    def connect(self, *, pmkid: bytes | None = None, sae_password: bytes | None = None) -> None:
        """CONNECT as the supplicant sends it; a cached ``pmkid`` goes into the RSNE (iwd: with Open System).

        With ``sae_password`` the driver runs SAE itself (no external auth).
        """
        self.pmkid_offered = pmkid
        sup = self.sup
        auth = sup.pmksa_auth_type if pmkid is not None else 4
        values = {
            "IFINDEX": _u32(self.ifindex), "WIPHY_FREQ": _u32(2412), "MAC": self.bssid, "MAC_HINT": self.bssid,
            "WIPHY_FREQ_HINT": _u32(2412), "SSID": self.ssid, "AUTH_TYPE": _u32(auth),
            "EXTERNAL_AUTH_SUPPORT": b"", "PRIVACY": b"", "SOCKET_OWNER": b"",
            "CIPHER_SUITES_PAIRWISE": _u32(0x000FAC04), "CIPHER_SUITE_GROUP": _u32(0x000FAC04),
            "USE_MFP": _u32(1), "AKM_SUITES": _u32(0x000FAC08), "WPA_VERSIONS": _u32(sup.wpa_versions),
            "CONTROL_PORT": b"", "IE": self._rsn(pmkid) + sup.ies_after_rsn + self._rsnx(),
            "HT_CAPABILITY": bytes(26), "HT_CAPABILITY_MASK": bytes(26), "VHT_CAPABILITY": bytes(12),
            "VHT_CAPABILITY_MASK": bytes(12), "SAE_PWE": bytes([2 if self.h2e else 1]),
        }
        attrs = [(n, values[n]) for n in sup.connect if n not in self._unpinned()]
        if sae_password is not None:
            attrs = [(n, v) for n, v in attrs if n != "EXTERNAL_AUTH_SUPPORT"] + [("SAE_PASSWORD", sae_password)]
        self._request("CONNECT", attrs)

    def _unpinned(self) -> set[str]:
        """What a hints-only supplicant leaves out when the driver roams by itself (see Supplicant.bss_hints)."""
        return {"MAC", "WIPHY_FREQ"} if self.sup.bss_hints and self.fw.roaming else set()

    def external_auth_event(self, action: int = 0) -> None:
        """The firmware asks for SAE (action 0, START) or gives up (1, ABORT); AKM bytes as the firmware sends them."""
        self._event("EXTERNAL_AUTH", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("AKM_SUITES", self.fw.akm),
            ("EXTERNAL_AUTH_ACTION", _u32(action)), ("BSSID", self.bssid), ("SSID", self.ssid)], dt=0.025)

    def _on_air(self, frame: bytes, t: float, *, ack_to: bytes | None, retries: int = 0) -> None:
        """A frame on the air (radiotap like mac80211_hwsim's monitor), its retries and the ACK."""
        for attempt in range(1 + retries):
            self.air_seq += 1
            air = bytearray(frame)
            air[22:24] = (self.air_seq << 4).to_bytes(2, "little")  # the firmware numbers frames on the air
            if attempt:
                air[1] |= 0x08  # retry bit
            ta = t + attempt * 0.002 + self.air_clock
            self.air.append((ta, _radiotap(ta) + bytes(air)))
            if ack_to is not None:
                ack = (0x00D4).to_bytes(2, "little") + bytes(2) + ack_to
                self.air.append((ta + 0.00005, _radiotap(ta + 0.00005) + ack))
                return

    def air_pcap(self) -> bytes:
        """The over-the-air capture of the same moment (link type 127)."""
        return pcap_bytes(sorted(self.air), linktype=127)

    def send(self, seq: int, body: bytes, *, status: int = 0, acked: bool = True,
             on_air: bool = True) -> None:
        """CMD_FRAME with an auth frame: TX status (cookie 0) first, then the cookie reply (iwd only) and the ACK."""
        frame = self._auth_frame(tx=True, seq=seq, status=status, body=body)
        if on_air:
            self._on_air(frame, self.t + 0.0009, ack_to=self.station if acked else None,
                         retries=0 if acked else 3)
        tx_status = self._nl80211("FRAME_TX_STATUS", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("WDEV", _u64(1)),
            ("FRAME", frame), ("COOKIE", _u64(0))] + ([("ACK", b"")] if acked else []))
        values = {"IFINDEX": _u32(self.ifindex), "WIPHY_FREQ": _u32(2412), "DONT_WAIT_FOR_ACK": b"",
                  "FRAME": frame}
        attrs = [(n, values[n]) for n in self.sup.frame if n not in self._unpinned()]
        self._request("FRAME", attrs, tx_status=tx_status,
                      reply=[("COOKIE", _u64(0))] if self.sup.waits_for_ack else None)

    def receive(self, seq: int, body: bytes, *, status: int = 0, deliver: bool = True) -> None:
        """The AP's frame: on the air always; handed up by the driver only when ``deliver``."""
        on_air = MgmtFrame.build({"header": {"frame_control": 0x00B0, "duration": 314, "addr1": self.station,
                                             "addr2": self.bssid, "addr3": self.bssid, "seq_ctrl": 0},
                                  "body": {"algorithm": 3, "transaction": seq, "status": status, "rest": body}})
        self._on_air(on_air, self.t + 0.001, ack_to=self.bssid)
        if not deliver:
            self.t += 0.003
            return
        frame = self._auth_frame(tx=False, seq=seq, status=status, body=body)
        signal = [] if self.fw.rx_signal is None else [("RX_SIGNAL_DBM", Int32sl.build(self.fw.rx_signal))]
        self._event("FRAME", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("WDEV", _u64(1)),
            ("WIPHY_FREQ", _u32(2412)), ("WIPHY_FREQ_OFFSET", _u32(0)), *signal, ("FRAME", frame),
            ("RXMGMT_FLAGS", _u32(2))], dt=0.004)

    def confirm_body(self, send_confirm: int = 1) -> bytes:
        digest = hashlib.sha256(f"{self.seed}:confirm:{send_confirm}:{len(self.records)}".encode()).digest()
        return sae_schemas.SaeConfirm.build({"send_confirm": send_confirm, "confirm": digest})

    def report(self, status: int, *, errno: int = 0) -> None:
        """CMD_EXTERNAL_AUTH: the supplicant's verdict on SAE.

        After status 0 wpa_supplicant hands the driver its PMKSA, even when the driver refused the report
        (captures/wpas-fmac-ebade).
        """
        self._request("EXTERNAL_AUTH", [("IFINDEX", _u32(self.ifindex)), ("STATUS_CODE", _u16(status)),
                                        ("SSID", self.ssid), ("BSSID", self.bssid)], errno=errno)
        if status == 0 and self.sup.pmksa_after == "report":
            self.set_pmksa()

    def set_pmksa(self) -> None:
        """SET_PMKSA with the PMKID both sides derived (iwd 3.6+ and wpa_supplicant give the driver its PMKSA)."""
        pmkid = self.pmkid() if "sta" in self.scalars else self.pmkid_offered  # SAE's, or the one reused
        assert pmkid is not None, "a PMKSA is set after SAE or after a PMKID was offered"
        values: dict[str, bytes] = {"IFINDEX": _u32(self.ifindex), "PMKID": pmkid, "MAC": self.bssid, "SSID": self.ssid,
                  "PMK_LIFETIME": _u32(43200), "PMK_REAUTH_THRESHOLD": b"\x46",
                  "PMK": hashlib.sha256(f"{self.seed}:pmk".encode()).digest()}
        self._request("SET_PMKSA", [(n, values[n]) for n in self.sup.set_pmksa])

    def connect_event(self, status: int = 0) -> None:
        """The firmware's join result; a success carries the Association Request/Response elements."""
        attrs = [("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("MAC", self.bssid),
                 ("STATUS_CODE", _u16(status))]
        if status == 0:
            req_ie = (Element.build({"id": 0, "data": self.ssid}) + ASSOC_BEFORE_RSN
                      + self._rsn(None if "sta" in self.scalars else self.pmkid_offered) + ASSOC_AFTER_RSN
                      + self._rsnx())
            attrs += [("REQ_IE", req_ie), ("RESP_IE", ASSOC_RESPONSE)]
        self._event("CONNECT", attrs, dt=0.03)

    def join_failed(self, status: int) -> None:
        """The join ended with ``status``: the CONNECT event this firmware sends for it, if any."""
        reported = self.fw.join_status(status)
        if reported is not None:
            self.connect_event(reported)

    def poll_station(self, times: int, *, errno: int = 0, every: float = 6.0) -> None:
        """GET_STATION every ``every`` s, as iwd polls while it waits (the Pi logs): a NEW_STATION reply and the
        ACK, or ``errno`` (-52 while the firmware is in the failed join, 2024-12-09)."""
        sta_info = nlattr(STA_INFO["INACTIVE_TIME"], _u32(0)) + nlattr(STA_INFO["SIGNAL"], b"\xc4")
        for _ in range(times):
            self.t += every
            asked = nlattr(ATTR["IFINDEX"], _u32(self.ifindex)) + nlattr(ATTR["MAC"], self.bssid)
            req = genl_message(self.family, CMD["GET_STATION"], asked, flags=NLM_F_REQUEST_ACK,
                               seq=self._next_seq(), pid=self.sup.port)
            self._record(req)
            if errno == 0:
                body = asked + nlattr(ATTR["GENERATION"], _u32(0)) + nlattr(ATTR["STA_INFO"], sta_info, nested=True)
                self._record(genl_message(self.family, CMD["NEW_STATION"], body, seq=self.seq, pid=self.sup.port),
                             dt=0.004)
            self._record(self._ack(req, errno), dt=0.004 if errno else 0.00001)

    def eapol(self, number: int, *, pmkid: bytes | None = None) -> None:
        """One 4-way message over the PAE socket (iwmon records these as ethertype 0x888e)."""
        key_info = {1: 0x0088, 2: 0x0108, 3: 0x13C8, 4: 0x0308}[number]
        nonce = hashlib.sha256(f"{self.seed}:nonce:{number}".encode()).digest() if number in (1, 2, 3) else bytes(32)
        data = b""
        if number == 1 and pmkid is not None:
            data = Element.build({"id": 0xDD, "data": bytes.fromhex("000fac04") + pmkid})
        elif number == 2:
            data = self._rsn() + self._rsnx()
        elif number == 3:
            data = hashlib.sha512(f"{self.seed}:gtk".encode()).digest() + bytes(24)
        ours = number in (2, 4)
        frame = eapol_frame().build({"header": {"version": self.sup.eapol_version if ours else 2, "type": 3,
                                                "length": 95 + len(data)},
                                     "body": {"descriptor": 2, "key_info": key_info,
                                              "key_length": 0 if ours else 16,
                                              "replay_counter": 1 + (number >= 3), "nonce": nonce,
                                              "iv": bytes(16), "rsc": bytes(8), "reserved": bytes(8),
                                              "mic": bytes(16) if number == 1 else b"\x11" * 16,
                                              "key_data_length": len(data), "key_data": data}})
        self._record(frame, protocol=0x888E, hatype=1, pkttype=PAE_OUT if ours else PAE_IN, dt=0.005)

    def new_key(self, index: int, *, pairwise: bool = False) -> None:
        """NEW_KEY after the handshake (iwmon often zeroes these: ``zeroed``)."""
        key = (nlattr(ATTR["KEY_DATA"], hashlib.sha256(f"{self.seed}:key{index}".encode()).digest()[:16])
               + nlattr(ATTR["KEY_CIPHER"], _u32(0x000FAC04)) + nlattr(ATTR["KEY_IDX"], bytes([index])))
        attrs = [("IFINDEX", _u32(self.ifindex))] + ([("MAC", self.bssid)] if pairwise else []) + [("KEY", key)]
        body = b"".join(nlattr(ATTR[n], v, nested=n == "KEY") for n, v in attrs)
        req = genl_message(self.family, CMD["NEW_KEY"], body, flags=NLM_F_REQUEST_ACK, seq=self._next_seq(),
                           pid=self.sup.port)
        self._record(req[:16] + bytes(len(req) - 16) if "NEW_KEY" in self.zeroed else req)
        self._record(self._ack(req))

    def disconnect(self, reason: int, *, by_ap: bool = True) -> None:
        """The DISCONNECT event (brcmfmac's firmware deauth indication)."""
        self._event("DISCONNECT", [("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)),
                                   ("REASON_CODE", _u16(reason))] + ([("DISCONNECTED_BY_AP", b"")] if by_ap else [])
                    + [("IE", b"")], dt=0.2)

    def pmkid(self) -> bytes:
        """The PMKID both sides derive: first 16 octets of (own + peer scalar) mod r."""
        g = GROUPS[self.group]
        assert g.curve is not None, "scenarios use ECC groups"
        total = (int.from_bytes(self.scalars["sta"], "big") + int.from_bytes(self.scalars["ap"], "big")) % g.curve.n
        return total.to_bytes(g.order_len, "big")[:16]

    def pcap(self) -> bytes:
        return pcap_bytes(self.records, linktype=113)

    # -- composite steps --------------------------------------------------------
    def sae_success(self) -> None:
        """Commit and confirm both ways (with H2E both commits say status 126)."""
        status = 126 if self.h2e else 0
        self.send(1, self.commit_body("sta", h2e=self.h2e), status=status)
        self.receive(1, self.commit_body("ap", h2e=self.h2e), status=status)
        self.send(2, self.confirm_body())
        self.receive(2, self.confirm_body())

    def four_way(self, *, pmkid: bytes | None = None, upto: int = 4) -> None:
        for n in range(1, upto + 1):
            self.eapol(n, pmkid=pmkid if n == 1 else None)
        if upto == 4:
            self.keys()

    def keys(self) -> None:
        """The keys after the handshake (pairwise, group, IGTK), and iwd 3.8's SET_PMKSA."""
        self.new_key(0, pairwise=True)
        self.new_key(1)
        self.new_key(4)
        if self.sup.pmksa_after == "4way":
            self.set_pmksa()
