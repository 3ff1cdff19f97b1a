"""Who sent a message and what it answers: request, reply, ack, error, event.

The rules iwmon applies, written down once:

* NLM_F_REQUEST set                    -> request (user space to kernel)
* NLMSG_ERROR with errno 0 / non-zero  -> ack / error, matched to its request
* NLMSG_DONE                           -> done (end of a dump), matched
* sequence number != 0                 -> reply, matched to its request
* sequence number 0                    -> event (multicast, or unicast such as
  EXTERNAL_AUTH and FRAME RX, which the kernel also sends with seq 0)

A request is matched by (protocol, seq) and, when the request carried one, by
port id.  A multicast event is delivered once per listening socket, so nlmon
and iwmon record it several times: identical bytes within a short window are
marked as duplicate deliveries, not dropped.
"""

from __future__ import annotations

from collections import OrderedDict, deque

from .core import NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR
from .message import Message

PENDING_LIMIT = 4096  # requests remembered for matching; bounds memory
DUPLICATE_WINDOW = 0.5  # seconds
DUPLICATE_DEPTH = 16  # recent events compared


class RoleTracker:
    """Assign roles and links between messages, in capture order."""

    def __init__(self) -> None:
        self._requests: OrderedDict[tuple[str, int, int], tuple[int, int, int | None]] = OrderedDict()
        self._recent_events: deque[tuple[bytes, int, float]] = deque(maxlen=DUPLICATE_DEPTH)

    def classify(self, msg: Message) -> None:
        if msg.flags & NLM_F_REQUEST:
            msg.role = "request"
            # two sockets may use the same sequence number (hostapd and the supplicant did): the port id
            # tells them apart; a request with port 0 is matched by its number alone
            for key in ((msg.protocol, msg.seq, msg.pid), (msg.protocol, msg.seq, 0)):
                self._requests[key] = (msg.index, msg.pid, msg.cmd)
                self._requests.move_to_end(key)
            while len(self._requests) > PENDING_LIMIT:
                self._requests.popitem(last=False)
            return
        if msg.nl_type == NLMSG_ERROR:
            msg.role = "ack" if msg.error is not None and msg.error.errno == 0 else "error"
        elif msg.nl_type == NLMSG_DONE:
            msg.role = "done"
        elif msg.seq != 0:
            msg.role = "reply"
        else:
            msg.role = "event"
            self._mark_duplicate(msg)
            return
        req = self._request_of(msg)
        if req is not None and (req[1] in (0, msg.pid)):
            msg.reply_to = req[0]

    def _mark_duplicate(self, msg: Message) -> None:
        for raw, index, ts in self._recent_events:
            if raw == msg.raw and msg.timestamp - ts <= DUPLICATE_WINDOW:
                msg.duplicate_of = index
                msg.notes.append(f"duplicate delivery of message {index} (one copy per listening socket)")
                return
        self._recent_events.append((msg.raw, msg.index, msg.timestamp))

    def _request_of(self, msg: Message) -> tuple[int, int, int | None] | None:
        """The request an answer answers: same sequence number and port, else the latest with that number."""
        exact = self._requests.get((msg.protocol, msg.seq, msg.pid))
        return exact if exact is not None else self._requests.get((msg.protocol, msg.seq, 0))

    def request_cmd(self, msg: Message) -> int | None:
        """The command of the request ``msg`` answers, if it was seen."""
        req = self._request_of(msg)
        return req[2] if req else None
