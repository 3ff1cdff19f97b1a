"""The 802.11 layer's entry point: decode the frames nl80211 attributes carry."""

from __future__ import annotations

from ..netlink.message import Message


class Dot11Layer:
    """Called on each finished message; fills ``attr.decoded`` for frames."""

    def process(self, msg: Message) -> None:
        return None
