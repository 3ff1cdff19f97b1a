"""``--snapshot``: the wireless state at start (wiphys, interfaces, stations), for the bug report.

The dumps are asked through pyroute2's NL80211 support after the capture
has started, so their requests and replies are records of the capture
itself: the decoder shows them like any message and they are in the pcapng
(tshark reads them too). pyroute2's own reading of the replies is also
written beside the capture as ``OUT.snapshot.json`` (docs/live.md), for
whoever reads the report without a decoder.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("nl80211dec.live")

MAX_ITEMS = 256  # entries kept per list: a snapshot, not a second capture


def plain(value: Any, depth: int = 0) -> Any:
    """pyroute2 values as JSON: numbers and text as they are, bytes as hex, messages as their dump()."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > 12:
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if hasattr(value, "dump"):
        return plain(value.dump(), depth + 1)
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
    return str(value)


def take(iw: Callable[[], Any]) -> dict[str, Any]:
    """GET_WIPHY, GET_INTERFACE and, per interface, GET_STATION dumps through a pyroute2 ``IW``."""
    sock = iw()
    try:
        wiphys = list(sock.list_wiphy())
        interfaces = list(sock.list_dev())
        stations: dict[str, Any] = {}
        for dev in interfaces:
            ifindex = dev.get_attr("NL80211_ATTR_IFINDEX")
            try:
                stations[str(ifindex)] = plain(list(sock.get_stations(ifindex)))
            except Exception as e:  # an interface that is down or gone: say so in the snapshot
                stations[str(ifindex)] = {"error": str(e)}
    finally:
        sock.close()
    return {"kind": "snapshot", "time": time.time(), "wiphys": plain(wiphys), "interfaces": plain(interfaces),
            "stations": stations}


def write(snapshot: dict[str, Any], path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(snapshot, f, indent=1, sort_keys=True)
        f.write("\n")
