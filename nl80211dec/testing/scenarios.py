"""Write iwmon-style captures of brcmfmac external-auth flows, for tests and bug reports.

The lab captures cover SoftMAC (mac80211_hwsim); FullMAC external auth is
built here from the driver's facts (checked against brcmfmac and iwd):

* every auth frame sent through brcmfmac gets cookie 0, and FRAME_TX_STATUS
  arrives *before* the reply that carries the cookie;
* unicast events (EXTERNAL_AUTH, FRAME RX) carry port id 0 and seq 0;
* the EXTERNAL_AUTH event carries WIPHY, IFINDEX, AKM_SUITES (byte-swapped),
  ACTION, BSSID and SSID;
* RX auth frames have A3 = 00:00:00:00:00:00, duration and sequence control 0,
  RXMGMT_FLAGS with the external-auth bit, and no signal attribute;
* the CONNECT event has no WIPHY_FREQ; a failed one carries no IEs and
  status 16 whatever the cause;
* iwd does not set NETLINK_CAP_ACK, so error replies echo the whole request;
  key-carrying requests appear zeroed in iwmon files; EAPoL goes over the
  PAE socket (cooked records with protocol 0x888e).

Every layout is built with the Construct schemas. ``build(name)`` returns
the pcap bytes of a named scenario; :data:`SCENARIOS` lists them with the
verdict each must produce.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable

from ..air.radiotap import RadiotapMinimal
from ..dot11.schemas import MgmtFrame, eapol_frame
from ..nl80211 import enums
from ..sae import schemas as sae_schemas
from ..sae.groups import GROUPS, scalar_mult
from .writers import genl_message, nl_message, nlattr, pcap_bytes, sll_record

CMD = {v: k for k, v in enums.COMMANDS.items()}
ATTR = {v: k for k, v in enums.ATTRS.items()}

SEED_SSID = b"deskSAE"
SEED_BSSID = "d8:3a:dd:60:a3:0c"
SEED_STATION = "d8:3a:dd:d2:ae:3c"
SAE_AKM = bytes.fromhex("000fac08")
CCMP = bytes.fromhex("000fac04")


def _mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def _u32(v: int) -> bytes:
    return struct.pack("<I", v)


def _u16(v: int) -> bytes:
    return struct.pack("<H", v)


def _radiotap(t: float) -> bytes:
    return RadiotapMinimal.build({"version": 0, "pad": 0, "length": 22, "present": 0x0F,
                                  "tsft": int(t * 1e6), "flags": 0, "rate": 2, "channel_freq": 2412,
                                  "channel_flags": 0x00A0})


def rsn_ie(pmkid: bytes | None = None) -> bytes:
    body = _u16(1) + CCMP + _u16(1) + CCMP + _u16(1) + SAE_AKM + _u16(0x00C0)
    if pmkid is not None:
        body += _u16(1) + pmkid
    return bytes([48, len(body)]) + body


class ExternalAuthScenario:
    """Build, step by step, what iwmon records on a Raspberry Pi with brcmfmac and iwd."""

    def __init__(self, *, ssid: bytes = SEED_SSID, bssid: str = SEED_BSSID, station: str = SEED_STATION,
                 ifindex: int = 3, wiphy: int = 0, family_id: int = 0x1B, group: int = 19, t0: float = 1734888157.0,
                 newfamily: bool = True, seed: int = 1) -> None:
        self.ssid, self.bssid, self.station = ssid, _mac(bssid), _mac(station)
        self.ifindex, self.wiphy, self.family, self.group = ifindex, wiphy, family_id, group
        self.t = t0
        self.records: list[tuple[float, bytes]] = []
        self.seq = 1000
        self.pid = 0  # iwd lets the kernel fill in its port id on requests
        self.seed = seed
        self.scalars: dict[str, bytes] = {}
        self.sc = 0
        self.air: list[tuple[float, bytes]] = []  # the same moment seen by a monitor radio
        self.air_clock = 0.137  # the monitor's clock runs ahead; the join must estimate this
        self.air_seq = 0
        if newfamily:
            req = genl_message(0x10, 3, nlattr(2, b"nl80211\0"), flags=0x5, seq=self._next_seq())
            self._record(req)
            self._record(genl_message(0x10, 1, nlattr(1, _u16(self.family)) + nlattr(2, b"nl80211\0"),
                                      seq=self.seq, pid=4242))
            self._record(self._ack(req))

    # -- plumbing ---------------------------------------------------------
    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _record(self, payload: bytes, *, protocol: int = 16, hatype: int = 824, dt: float = 0.0007) -> None:
        self.t += dt
        self.records.append((self.t, sll_record(payload, protocol=protocol, hatype=hatype, pkttype=0)))

    def _nl80211(self, cmd: str, attrs: list[tuple[str, bytes]], *, request: bool = False, seq: int = 0,
                 pid: int = 0) -> bytes:
        body = b"".join(nlattr(ATTR[n], v) for n, v in attrs)
        return genl_message(self.family, CMD[cmd], body, flags=0x5 if request else 0, seq=seq, pid=pid)

    def _ack(self, request: bytes, errno: int = 0) -> bytes:
        """NLMSG_ERROR echoing the whole request (no NETLINK_CAP_ACK, as iwd)."""
        seq = struct.unpack_from("<I", request, 8)[0]
        return nl_message(2, struct.pack("<i", errno) + request, seq=seq, pid=4242)

    def _request(self, cmd: str, attrs: list[tuple[str, bytes]], *, errno: int = 0, reply: list | None = None,
                 status_first: bytes | None = None) -> None:
        req = self._nl80211(cmd, attrs, request=True, seq=self._next_seq())
        self._record(req)
        if status_first is not None:
            self._record(status_first, dt=0.0004)
        if reply is not None:
            self._record(self._nl80211(cmd, reply, seq=self.seq, pid=4242), dt=0.0002)
        self._record(self._ack(req, errno), dt=0.0003)

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
        else:  # brcmfmac RX: A3 zero, no duration, no sequence number
            a1, a2, a3 = self.station, self.bssid, bytes(6)
        return MgmtFrame.build({"header": {"frame_control": 0x00B0, "duration": 0, "addr1": a1, "addr2": a2,
                                           "addr3": a3, "seq_ctrl": 0},
                                "body": {"algorithm": 3, "transaction": seq, "status": status, "rest": body}})

    def commit_body(self, who: str, *, token: bytes = b"", h2e: bool = False) -> bytes:
        self.sc += 1
        scalar, element = self._point(who)
        elements = [{"length": len(token) + 1, "ext_id": 93, "data": token}] if (h2e and token) else []
        return sae_schemas.commit(self.group, 0 if h2e else len(token)).build(
            {"token": b"" if h2e else token, "scalar": scalar, "element": element, "elements": elements})

    # -- steps ---------------------------------------------------------------
    def connect(self, *, pmkid: bytes | None = None, sae_password: bytes | None = None) -> None:
        """CONNECT as iwd sends it; with ``sae_password`` the driver runs SAE itself (no external auth)."""
        attrs = [("IFINDEX", _u32(self.ifindex)), ("MAC_HINT", self.bssid), ("WIPHY_FREQ_HINT", _u32(2412)),
                 ("SSID", self.ssid), ("AUTH_TYPE", _u32(4)), ("WPA_VERSIONS", _u32(2)),
                 ("CIPHER_SUITES_PAIRWISE", _u32(0x000FAC04)),
                 ("CIPHER_SUITE_GROUP", _u32(0x000FAC04)), ("AKM_SUITES", _u32(0x000FAC08)),
                 ("USE_MFP", _u32(1)), ("SOCKET_OWNER", b""),
                 ("IE", rsn_ie(pmkid))]
        if sae_password is None:
            attrs.insert(-1, ("EXTERNAL_AUTH_SUPPORT", b""))
        else:
            attrs.append(("SAE_PASSWORD", sae_password))
        if pmkid is not None:
            attrs.append(("PMKID", pmkid))
        self._request("CONNECT", attrs)

    def external_auth_event(self, action: int = 0) -> None:
        self._record(self._nl80211("EXTERNAL_AUTH", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("AKM_SUITES", SAE_AKM),  # big-endian!
            ("EXTERNAL_AUTH_ACTION", _u32(action)), ("BSSID", self.bssid), ("SSID", self.ssid)]), dt=0.004)

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
        """CMD_FRAME with an auth frame: TX status (cookie 0) before the cookie reply, then the ACK."""
        frame = self._auth_frame(tx=True, seq=seq, status=status, body=body)
        if on_air:
            self._on_air(frame, self.t + 0.0009, ack_to=self.station if acked else None,
                         retries=0 if acked else 3)
        tx_status = self._nl80211("FRAME_TX_STATUS", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("WDEV", struct.pack("<Q", 1)),
            ("FRAME", frame), ("COOKIE", struct.pack("<Q", 0))] + ([("ACK", b"")] if acked else []))
        self._request("FRAME", [("IFINDEX", _u32(self.ifindex)), ("WIPHY_FREQ", _u32(2412)), ("FRAME", frame)],
                      status_first=tx_status, reply=[("COOKIE", struct.pack("<Q", 0))])

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
        self._record(self._nl80211("FRAME", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("WDEV", struct.pack("<Q", 1)),
            ("WIPHY_FREQ", _u32(2412)), ("RXMGMT_FLAGS", _u32(2)), ("FRAME", frame)]), dt=0.003)

    def confirm_body(self, send_confirm: int = 1) -> bytes:
        digest = hashlib.sha256(f"{self.seed}:confirm:{send_confirm}:{len(self.records)}".encode()).digest()
        return sae_schemas.SaeConfirm.build({"send_confirm": send_confirm, "confirm": digest})

    def report(self, status: int, *, errno: int = 0, pmkid: bytes | None = None) -> None:
        attrs = [("IFINDEX", _u32(self.ifindex)), ("BSSID", self.bssid), ("SSID", self.ssid),
                 ("STATUS_CODE", _u16(status))]
        if pmkid is not None:
            attrs.append(("PMKID", pmkid))
        self._request("EXTERNAL_AUTH", attrs, errno=errno)

    def connect_event(self, status: int = 0) -> None:
        attrs = [("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("MAC", self.bssid),
                 ("STATUS_CODE", _u16(status))]
        if status == 0:
            attrs += [("REQ_IE", rsn_ie()), ("RESP_IE", bytes([1, 4, 0x82, 0x84, 0x8B, 0x96]))]
        self._record(self._nl80211("CONNECT", attrs), dt=0.02)

    def eapol(self, number: int, *, pmkid: bytes | None = None) -> None:
        """One 4-way message over the PAE socket (iwmon records these as ethertype 0x888e)."""
        key_info = {1: 0x008A, 2: 0x010A, 3: 0x13CA, 4: 0x030A}[number]
        nonce = hashlib.sha256(f"{self.seed}:nonce:{number}".encode()).digest() if number in (1, 2, 3) else bytes(32)
        data = b""
        if number == 1 and pmkid is not None:
            data = bytes([0xDD, 20]) + bytes.fromhex("000fac04") + pmkid
        elif number == 2:
            data = rsn_ie()
        elif number == 3:
            data = bytes(56)
        frame = eapol_frame().build({"header": {"version": 2, "type": 3, "length": 95 + len(data)},
                                     "body": {"descriptor": 2, "key_info": key_info, "key_length": 16,
                                              "replay_counter": 1 + (number >= 3), "nonce": nonce,
                                              "iv": bytes(16), "rsc": bytes(8), "reserved": bytes(8),
                                              "mic": bytes(16) if number == 1 else b"\x11" * 16,
                                              "key_data_length": len(data), "key_data": data}})
        self._record(frame, protocol=0x888E, hatype=1, dt=0.005)

    def new_key_cleared(self) -> None:
        """NEW_KEY as iwmon records it: the kernel wiped the payload before the copy."""
        req = genl_message(self.family, CMD["NEW_KEY"], bytes(40), flags=0x5, seq=self._next_seq())
        self._record(bytes(req[:16]) + bytes(len(req) - 16))
        self._record(self._ack(req))

    def disconnect(self, reason: int) -> None:
        self._record(self._nl80211("DISCONNECT", [
            ("WIPHY", _u32(self.wiphy)), ("IFINDEX", _u32(self.ifindex)), ("REASON_CODE", _u16(reason)),
            ("DISCONNECTED_BY_AP", b"")]), dt=0.2)

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
            self.new_key_cleared()
            self.new_key_cleared()


# -- the named scenarios, one per verdict ------------------------------------------

def _ok(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(0)
    s.four_way(pmkid=s.pmkid())


def _ok_m1_before_connect(s: ExternalAuthScenario) -> None:
    """The driver race: EAPoL message 1 recorded just before the CONNECT event."""
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.eapol(1, pmkid=s.pmkid())
    s.connect_event(0)
    for n in (2, 3, 4):
        s.eapol(n)


def _pmksa(s: ExternalAuthScenario) -> None:
    """The seed thread: iwd uses its PMKSA cache, the firmware still asks for SAE."""
    s.connect(pmkid=bytes.fromhex("8844b6b6dfda8f93a087e9ea6aa0c0de"))
    s.external_auth_event()
    s.report(1)
    s.connect_event(16)


def _report_rejected(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0, errno=-52)
    s.connect_event(16)


def _commit_not_acked(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    for _ in range(3):
        s.send(1, s.commit_body("sta"), acked=False)
    s.report(1)
    s.connect_event(16)


def _no_peer_commit(s: ExternalAuthScenario) -> None:
    """The AP answers on the air; the firmware never hands its commit up."""
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"), deliver=False)
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"), deliver=False)
    s.report(1)
    s.connect_event(16)


def _confirm_mismatch(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"))
    s.send(2, s.confirm_body())
    s.receive(2, b"", status=1)
    s.report(1)
    s.connect_event(16)


def _unsupported_group(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, _u16(s.group), status=77)
    s.report(77)
    s.connect_event(16)


def _anti_clogging(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    token = b""
    for round_ in range(4):
        s.send(1, s.commit_body("sta", token=token))
        token = hashlib.sha256(f"token{round_}".encode()).digest()
        s.receive(1, _u16(s.group) + token, status=76)
    s.report(1)
    s.connect_event(16)


def _h2e_mismatch(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta", h2e=True), status=126)
    s.receive(1, s.commit_body("ap"), status=0)
    s.report(1)
    s.connect_event(16)


def _firmware_aborted(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.external_auth_event(action=1)
    s.connect_event(16)


def _assoc_rejected(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(16)


def _four_way_failed(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(0)
    s.four_way(pmkid=s.pmkid(), upto=2)
    s.disconnect(15)


def _pmkid_mismatch(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.sae_success()
    s.report(0)
    s.connect_event(0)
    s.four_way(pmkid=bytes(16))


def _incomplete(s: ExternalAuthScenario) -> None:
    s.connect()
    s.external_auth_event()
    s.send(1, s.commit_body("sta"))
    s.receive(1, s.commit_body("ap"))


def _driver_sae_ok(s: ExternalAuthScenario) -> None:
    """A driver that runs SAE itself: only CONNECT, the CONNECT event and the 4-way are visible."""
    s.connect(sae_password=b"correct horse battery staple")
    s.connect_event(0)
    for n in (1, 2, 3, 4):
        s.eapol(n)


def _driver_sae_failed(s: ExternalAuthScenario) -> None:
    s.connect(sae_password=b"wrong password")
    s.connect_event(16)


# name -> (builder, the verdict the sequencer must give)
SCENARIOS: dict[str, tuple[Callable[[ExternalAuthScenario], None], str]] = {
    "ok": (_ok, "ok"),
    "ok-eapol-before-connect": (_ok_m1_before_connect, "ok"),
    "pmksa-instead-of-sae": (_pmksa, "pmksa-instead-of-sae"),
    "status-report-rejected": (_report_rejected, "status-report-rejected"),
    "commit-not-acked": (_commit_not_acked, "commit-not-acked"),
    "no-peer-commit": (_no_peer_commit, "no-peer-commit"),
    "confirm-mismatch": (_confirm_mismatch, "confirm-mismatch"),
    "unsupported-group": (_unsupported_group, "unsupported-group"),
    "anti-clogging-loop": (_anti_clogging, "anti-clogging-loop"),
    "h2e-mismatch": (_h2e_mismatch, "h2e-mismatch"),
    "firmware-aborted": (_firmware_aborted, "firmware-aborted"),
    "assoc-rejected": (_assoc_rejected, "assoc-rejected"),
    "four-way-failed": (_four_way_failed, "four-way-failed"),
    "pmkid-mismatch": (_pmkid_mismatch, "ok"),  # connected: the PMKID is a finding beside it
    "incomplete": (_incomplete, "incomplete"),
    "driver-sae-ok": (_driver_sae_ok, "ok"),
    "driver-sae-failed": (_driver_sae_failed, "driver-connect-failed"),
}


def build(name: str, **kwargs) -> bytes:
    """The pcap bytes of scenario ``name`` (see :data:`SCENARIOS`)."""
    return build_both(name, **kwargs)[0]


def build_both(name: str, **kwargs) -> tuple[bytes, bytes]:
    """Scenario ``name`` as (iwmon capture, over-the-air capture of the same moment)."""
    fn, _verdict = SCENARIOS[name]
    s = ExternalAuthScenario(**kwargs)
    fn(s)
    return s.pcap(), s.air_pcap()
