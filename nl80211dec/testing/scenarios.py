"""Write iwmon-style captures of FullMAC external-auth flows (brcmfmac on a Raspberry Pi), for tests and reports.

Since the emulated-FullMAC lab exists, the builder is held to real runs:
``tests/test_builder_vs_real.py`` compares each scenario's station messages
with a lab capture (``captures/*-fmac-*/nlmon.pcap``), message by message
(:mod:`.shapes`).  Each scenario's docstring says which real capture holds it,
or that it is **modelled, not recorded** and where the model comes from (a
Raspberry Pi log in ``captures/real-brcmfmac``, or the brcmfmac source), for
what the lab cannot make.

What the real runs show, and the builder writes:

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

Every layout is built with the Construct schemas. ``build(name)`` returns
the pcap bytes of a named scenario; :data:`SCENARIOS` lists them with the
verdict each models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from construct import Int16ul, Int32sl, Int32ul, Int64ul

from ..air.radiotap import RadiotapMinimal
from ..dot11.schemas import Element, MgmtFrame, RsnBody, eapol_frame
from ..nl80211 import enums
from ..sae import schemas as sae_schemas
from ..sae.groups import GROUPS, scalar_mult
from .flavours import AKM_HOST_ORDER, BRCMFMAC, SUPPLICANTS, Firmware
from .writers import genl_message, nl_message, nlattr, pcap_bytes, sll_record

CMD = {v: k for k, v in enums.COMMANDS.items()}
ATTR = {v: k for k, v in enums.ATTRS.items()}

SEED_SSID = b"deskSAE"
SEED_BSSID = "d8:3a:dd:60:a3:0c"
SEED_STATION = "d8:3a:dd:d2:ae:3c"
CCMP = bytes.fromhex("000fac04")
SAE_AKM = bytes.fromhex("000fac08")
NLM_F_REQUEST_ACK = 0x5
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
                 family_id: int = 0x1B, group: int = 19, t0: float = 1734888157.0, newfamily: bool = True,
                 seed: int = 1) -> None:
        self.sup = SUPPLICANTS[supplicant]
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

    # -- steps ---------------------------------------------------------------
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
            "CONTROL_PORT": b"", "IE": self._rsn(pmkid) + sup.ies_after_rsn,
            "HT_CAPABILITY": bytes(26), "HT_CAPABILITY_MASK": bytes(26), "VHT_CAPABILITY": bytes(12),
            "VHT_CAPABILITY_MASK": bytes(12), "SAE_PWE": b"\x01",
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
        values = {"IFINDEX": _u32(self.ifindex), "PMKID": self.pmkid(), "MAC": self.bssid, "SSID": self.ssid,
                  "PMK_LIFETIME": _u32(43200), "PMK_REAUTH_THRESHOLD": b"\x46",
                  "PMK": hashlib.sha256(f"{self.seed}:pmk".encode()).digest()}
        self._request("SET_PMKSA", [(n, values[n]) for n in self.sup.set_pmksa])

    def connect_event(self, status: int = 0) -> None:
        """The firmware's join result; a success carries the Association Request/Response elements."""
        attrs = [("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("MAC", self.bssid),
                 ("STATUS_CODE", _u16(status))]
        if status == 0:
            req_ie = (Element.build({"id": 0, "data": self.ssid}) + ASSOC_BEFORE_RSN
                      + self._rsn(self.pmkid_offered) + ASSOC_AFTER_RSN)
            attrs += [("REQ_IE", req_ie), ("RESP_IE", ASSOC_RESPONSE)]
        self._event("CONNECT", attrs, dt=0.03)

    def join_failed(self, status: int) -> None:
        """The join ended with ``status``: the CONNECT event this firmware sends for it, if any."""
        reported = self.fw.join_status(status)
        if reported is not None:
            self.connect_event(reported)

    def eapol(self, number: int, *, pmkid: bytes | None = None) -> None:
        """One 4-way message over the PAE socket (iwmon records these as ethertype 0x888e)."""
        key_info = {1: 0x0088, 2: 0x0108, 3: 0x13C8, 4: 0x0308}[number]
        nonce = hashlib.sha256(f"{self.seed}:nonce:{number}".encode()).digest() if number in (1, 2, 3) else bytes(32)
        data = b""
        if number == 1 and pmkid is not None:
            data = Element.build({"id": 0xDD, "data": bytes.fromhex("000fac04") + pmkid})
        elif number == 2:
            data = self._rsn()
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
        total = (int.from_bytes(self.scalars["sta"], "big") + int.from_bytes(self.scalars["ap"], "big")) % g.curve.n
        return total.to_bytes(g.order_len, "big")[:16]

    def pcap(self) -> bytes:
        return pcap_bytes(self.records, linktype=113)

    # -- composite steps --------------------------------------------------------
    def sae_success(self) -> None:
        self.send(1, self.commit_body("sta"))
        self.receive(1, self.commit_body("ap"))
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


# -- the named scenarios -------------------------------------------------------------------
# Each docstring says the supplicant flavour, and either which real capture holds it (tests/test_builder_vs_real.py
# compares the two message by message) or that it is modelled, not recorded, and from what.

def _ok(s: ExternalAuthScenario) -> None:
    """iwd: SAE, the firmware's association, the 4-way handshake, keys, SET_PMKSA.

    Held to captures/iwd-fmac-ok (nlmon.pcap).

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

    Held to captures/wpas-fmac-ok (nlmon.pcap, and its iwmon.pcap, which lost SET_PMKSA and NEW_KEY).
    """
    _ok(s)


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
    PMKSA.  Its shape is checked against the iwmon text of both.
    """
    s.connect(pmkid=bytes.fromhex("8844b6b6dfda8f93a087e9ea6aa0c0de"))
    s.external_auth_event()
    s.report(1)
    s.join_failed(1)


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
    iwmon.pcap, where the kernel had zeroed every CONNECT request) and, built for iwd, to
    captures/iwd-fmac-wrongpass and captures/iwd-fmac-status16-wrongpass (fmac_sim saying 16 as brcmfmac does).
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
    """iwd: the AP rejects group 19 with status 77; iwd (which forces group 19 for FullMAC) reports 77.

    Modelled, not recorded: IEEE 802.11-2020 12.4.8.6.4 and the SoftMAC lab runs' status 77 frames.
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, _u16(s.group), status=77)
    s.report(77)
    s.join_failed(77)


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
    """iwd: the station commits with H2E (status 126), the AP with hunting-and-pecking (status 0).

    Modelled, not recorded: IEEE 802.11-2020 12.4.4.2 (the status code names the password element method).
    """
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta", h2e=True), status=126)
    s.receive(1, s.commit_body("ap"), status=0)
    s.report(1)
    s.join_failed(1)


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
    ("ok-eapol-before-connect", _ok_m1_before_connect, "ok", PI),
    ("ok-doubled-events", _ok, "ok", {**PI, "doubled_events": True}),
    ("pmksa-instead-of-sae", _pmksa, "pmksa-instead-of-sae", {**PI, **SILENT}),
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
