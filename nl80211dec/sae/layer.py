"""The 802.11 and SAE layers' entry point: decode what nl80211 attributes carry.

Called once per finished message, in capture order, so SAE context (group,
token, H2E) flows from commits to the confirms and retries after them.
Which attribute holds what is a table; the few rules that need the message
(AUTH_DATA is SAE only with AUTH_TYPE SAE; CONTROL_PORT_FRAME carries EAPoL)
are written next to it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..dot11.eapol import decode_eapol
from ..dot11.elements import ElementList
from ..dot11.frames import ZERO_MAC, decode_frame
from ..netlink.message import Attr, Message
from ..wire.layout import fixed_layout
from .body import SaeAuthDecoder, decode_sae
from .context import SaeTracker
from .schemas import SaeAuthData

EAPOL_COMMANDS = {"CONTROL_PORT_FRAME", "CONTROL_PORT_FRAME_TX_STATUS"}
RXMGMT_FLAG_EXTERNAL_AUTH = 2
_AUTH_DATA = fixed_layout(SaeAuthData)  # transaction, status; the body follows
_AUTH_DATA_HEAD = _AUTH_DATA.unpacks_as("transaction", "status")


class Dot11Layer:
    """Fills ``attr.decoded`` with Frame / ElementList / SaeBody / Eapol objects.

    ``annotate`` (an over-the-air join's) is called on each message once its
    frames are decoded, so they leave this layer complete: nothing after the
    decoder writes into them.
    """

    def __init__(self, annotate: Callable[[Message], None] | None = None) -> None:
        self._annotate = annotate
        self.sae = SaeTracker()
        self._auth_body = SaeAuthDecoder(self.sae)
        self._if_mac: dict[int, str] = {}

    def process(self, msg: Message) -> None:
        if msg.protocol == "eapol":
            msg.eapol = decode_eapol(msg.raw)
            return
        if msg.family != "nl80211" or not msg.attrs:
            return
        if msg.cmd_name in ("NEW_INTERFACE", "GET_INTERFACE"):
            ifindex = msg.value("IFINDEX")
            if isinstance(ifindex, int) and msg.get("MAC"):
                self._if_mac[ifindex] = msg.value("MAC")
        payloads = msg.payloads if msg.payloads is not None else msg.walk()
        for attr in payloads:
            if attr.problem is not None or not attr.raw or attr.decoded is not None:
                continue  # a tree shared by the decode memo is decoded once
            if attr.kind == "ies":
                attr.decoded = ElementList(attr.raw)
            elif attr.kind == "frame":
                self._frame(msg, attr)
            elif attr.kind == "sae":
                self._auth_data(msg, attr, msg.value("IFINDEX"))
        if self._annotate is not None:
            self._annotate(msg)

    def _frame(self, msg: Message, attr: Attr) -> None:
        if msg.cmd_name in EAPOL_COMMANDS:
            attr.decoded = decode_eapol(attr.raw)
            return
        frame = decode_frame(attr.raw, self._auth_body)
        attr.decoded = frame
        flags = msg.value("RXMGMT_FLAGS")
        external = isinstance(flags, int) and flags & RXMGMT_FLAG_EXTERNAL_AUTH
        if external:
            frame.findings.append("handed to user space for external authentication (RXMGMT_FLAGS)")
        if frame.subtype_name == "AUTH" and frame.addr("BSSID") == ZERO_MAC and msg.role == "event":
            frame.findings.append("BSSID (A3) is zero: brcmfmac builds external-auth RX frames this way")

    def _auth_data(self, msg: Message, attr: Attr, ifindex: object) -> None:
        if msg.value("AUTH_TYPE") != 4 or len(attr.raw) < _AUTH_DATA.size:
            return  # FILS and others use AUTH_DATA differently; keep the bytes
        seq, status = _AUTH_DATA_HEAD.unpack_from(attr.raw)
        local = self._if_mac.get(ifindex) if isinstance(ifindex, int) else None
        peer = msg.value("MAC") or "?"
        ctx = self.sae.get(local or f"ifindex {ifindex}", peer)
        attr.decoded = decode_sae(seq, status, attr.raw[_AUTH_DATA.size:], ctx)
