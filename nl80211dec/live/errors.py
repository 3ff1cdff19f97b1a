"""Why a live capture cannot start here, in one line that says how to fix it.

Each step that needs something of the system (creating the nlmon interface,
opening the packet socket, mapping its ring, asking nlctrl) turns the
kernel's errno into a :class:`Unavailable` through :data:`FIXES`; the
command line prints its message and exits 2.
"""

from __future__ import annotations

import errno

PRIVILEGES = ("run as root, or give the python binary the capabilities: "
              "sudo setcap cap_net_admin,cap_net_raw+eip $(readlink -f $(which python3)) (docs/live.md)")
INSTALL = "pip install 'nl80211dec[live]'"

# (step, errno) -> what is missing and how to fix it; (step, None) is the step's fallback
FIXES: dict[tuple[str, int | None], str] = {
    ("nlmon", errno.EPERM): f"creating the nlmon interface needs CAP_NET_ADMIN: {PRIVILEGES}",
    ("nlmon", errno.EOPNOTSUPP): "the kernel has no nlmon support: sudo modprobe nlmon "
                                 "(a kernel built with CONFIG_NLMON)",
    ("nlmon", None): "could not create the nlmon interface",
    ("socket", errno.EPERM): f"opening a packet socket needs CAP_NET_RAW: {PRIVILEGES}",
    ("socket", errno.EACCES): f"opening a packet socket needs CAP_NET_RAW: {PRIVILEGES}",
    ("socket", errno.EAFNOSUPPORT): "the kernel has no packet sockets (CONFIG_PACKET)",
    ("socket", None): "could not open a packet socket on the nlmon interface",
    ("ring", errno.EINVAL): "the kernel refused a TPACKET_V3 receive ring (Linux 3.2 or later is needed)",
    ("ring", errno.ENOMEM): "not enough memory for the packet ring",
    ("ring", None): "could not set up the packet ring",
    ("families", errno.EPERM): f"asking nlctrl for the family ids was refused: {PRIVILEGES}",
    ("families", None): "could not ask nlctrl for the generic-netlink family ids",
}


class Unavailable(Exception):
    """Live capture cannot start: ``str(e)`` is the one line to show (what is missing, how to fix it)."""


def unavailable(step: str, err: BaseException) -> Unavailable:
    """The :class:`Unavailable` for an OSError-like failure of ``step`` (pyroute2's NetlinkError has ``code``)."""
    code = getattr(err, "code", None)
    if not isinstance(code, int):
        code = getattr(err, "errno", None)
    fix = FIXES.get((step, code))
    if fix is not None:
        return Unavailable(fix)
    name = errno.errorcode.get(code, str(code)) if isinstance(code, int) else type(err).__name__
    return Unavailable(f"{FIXES[(step, None)]}: {name} ({getattr(err, 'strerror', None) or err})")


def pyroute2_missing() -> Unavailable:
    return Unavailable(f"live capture needs pyroute2, which is not installed: {INSTALL}")
