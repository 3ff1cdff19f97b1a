"""The nlmon interface: the kernel's netlink tap, as a network device a packet socket can listen on.

Created with pyroute2's ``IPRoute`` and removed again on the way out, by
index, only if this run created it: an nlmon interface that was already
there (tcpdump's, iwmon's, one left by a killed run) is used and left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .errors import Unavailable, unavailable

log = logging.getLogger("nl80211dec.live")

IFF_UP = 0x1


def link_kind(link: Any) -> str | None:
    """The IFLA_INFO_KIND of a pyroute2 link message (None for plain devices)."""
    return link.get_nested("IFLA_LINKINFO", "IFLA_INFO_KIND")


class Monitor:
    """``with Monitor(IPRoute, "nlmon0") as mon:`` - the interface exists and is up inside the block.

    ``iproute`` is a factory of pyroute2 ``IPRoute`` objects (used as context
    managers), so the tests can hand in a fake.
    """

    def __init__(self, iproute: Callable[[], Any], name: str) -> None:
        self.iproute = iproute
        self.name = name
        self.index: int | None = None
        self.created = False

    def __enter__(self) -> Monitor:
        try:
            with self.iproute() as ipr:
                found = ipr.link_lookup(ifname=self.name)
                if found:
                    self._adopt(ipr, found[0])
                else:
                    self._create(ipr)
        except Unavailable:
            raise
        except Exception as e:  # pyroute2's NetlinkError, or OSError from its socket
            if self.created:
                self.remove()
            raise unavailable("nlmon", e) from None
        return self

    def _adopt(self, ipr: Any, index: int) -> None:
        link = ipr.link("get", index=index)[0]
        kind = link_kind(link)
        if kind != "nlmon":
            raise Unavailable(f"interface {self.name} exists and is not an nlmon interface ({kind or 'no kind'}): "
                              "name another one with --nlmon NAME")
        self.index = index
        if not link["flags"] & IFF_UP:
            ipr.link("set", index=index, state="up")
        log.info("using the existing nlmon interface %s (left in place afterwards)", self.name)

    def _create(self, ipr: Any) -> None:
        ipr.link("add", ifname=self.name, kind="nlmon")
        self.created = True
        self.index = ipr.link_lookup(ifname=self.name)[0]
        ipr.link("set", index=self.index, state="up")
        log.info("created the nlmon interface %s", self.name)

    def remove(self) -> None:
        """Delete the interface if this run created it (once; a vanished interface is not an error)."""
        if not self.created or self.index is None:
            return
        self.created = False
        try:
            with self.iproute() as ipr:
                ipr.link("del", index=self.index)
            log.info("removed the nlmon interface %s", self.name)
        except Exception as e:  # gone already (someone deleted it), or the kernel refuses: say so, go on
            log.warning("could not remove the nlmon interface %s: %s (ip link del %s)", self.name, e, self.name)

    def __exit__(self, *exc: object) -> None:
        self.remove()
