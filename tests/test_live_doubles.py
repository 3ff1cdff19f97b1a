"""Doubles for the live tests (a fake IPRoute, a fake nlctrl, the replay source), and tests of the replay itself."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from typing import Any

from nl80211dec.capture.reader import CaptureReader
from nl80211dec.live.replay import Replay, packets_of
from nl80211dec.live.run import Backend

from .golden_util import CAPTURES

SHIPPED = sorted(CAPTURES.glob("*/nlmon.pcap"))
OK = CAPTURES / "iwd-sae-ok" / "nlmon.pcap"
REPLAY_S = 0.1  # wall time a replay takes: the recorded pace, scaled down


class NetlinkError(Exception):
    """pyroute2's NetlinkError as far as the live code looks at it: an errno in ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code, errno.errorcode.get(code, "?"))
        self.code = code


class FakeLink(dict):
    def __init__(self, kind: str | None, flags: int) -> None:
        super().__init__(flags=flags)
        self.kind = kind

    def get_nested(self, *path: str) -> str | None:
        return self.kind


@dataclass
class Links:
    """The fake kernel's interfaces, and every call made to it."""

    links: dict[str, dict[str, Any]] = field(default_factory=lambda: {
        "lo": {"index": 1, "kind": None, "flags": 1}, "wlan0": {"index": 3, "kind": None, "flags": 1}})
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    add_error: int | None = None
    del_error: int | None = None

    def by_index(self, index: int) -> tuple[str, dict[str, Any]] | None:
        return next(((k, v) for k, v in self.links.items() if v["index"] == index), None)


class FakeIPRoute:
    def __init__(self, state: Links) -> None:
        self.state = state

    def __enter__(self) -> FakeIPRoute:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def link_lookup(self, ifname: str) -> list[int]:
        return [v["index"] for k, v in self.state.links.items() if k == ifname]

    def link(self, op: str, **kw: Any) -> Any:
        st = self.state
        st.calls.append((op, kw))
        if op == "add":
            if st.add_error:
                raise NetlinkError(st.add_error)
            st.links[kw["ifname"]] = {"index": 100 + len(st.links), "kind": kw["kind"], "flags": 0}
            return None
        found = st.by_index(kw["index"])
        if found is None:
            raise NetlinkError(errno.ENODEV)
        name, link = found
        if op == "set":
            link["flags"] |= 1
        elif op == "get":
            return [FakeLink(link["kind"], link["flags"])]
        elif op == "del":
            if st.del_error:
                raise NetlinkError(st.del_error)
            del st.links[name]
        return None


class FakeCtrlReply:
    def __init__(self, **attrs: Any) -> None:
        self.attrs = attrs

    def get_attr(self, name: str) -> Any:
        return self.attrs.get(name)


class FakeGenl:
    """A GenericNetlinkSocket that answers the GETFAMILY dump with ``families``."""

    def __init__(self, families: list[tuple[str, int]], error: int | None = None) -> None:
        self.families, self.error = families, error

    def bind(self, *args: Any) -> None:
        if self.error:
            raise NetlinkError(self.error)

    def nlm_request(self, *args: Any, **kw: Any) -> list[FakeCtrlReply]:
        return [FakeCtrlReply(CTRL_ATTR_FAMILY_NAME=n, CTRL_ATTR_FAMILY_ID=i, CTRL_ATTR_VERSION=1)
                for n, i in self.families]

    def close(self) -> None:
        pass


def span(path: Any) -> float:
    times = [r.timestamp for r in CaptureReader(path)]
    return max(times) - min(times) if times else 0.0


def replay_backend(path: Any, *, families: list[tuple[str, int]] | None = None, clock: str = "file",
                   links: Links | None = None, source: Any = None, iw: Any = None,
                   genl_error: int | None = None) -> tuple[Backend, Links]:
    """A Backend whose packet socket replays ``path`` at its recorded pace, scaled to take REPLAY_S."""
    state = links or Links()
    speed = max(span(path) / REPLAY_S, 1.0) if source is None else 1.0
    opened = source or Replay(path, speed=speed, clock=clock)
    return Backend(lambda: FakeIPRoute(state), lambda: FakeGenl(families or [], genl_error), iw,
                   lambda name: opened), state


# -- the replay double itself -------------------------------------------------------


def test_replay_hands_out_what_nlmon_gives_at_the_recorded_pace():
    t = [0.0]
    rp = Replay(OK, speed=10.0, sleep=lambda s: t.__setitem__(0, t[0] + s), monotonic=lambda: t[0])
    records = list(CaptureReader(OK))
    got = []
    while not rp.exhausted:
        got += rp.receive(timeout=0.5)
    assert len(got) == len(records) == 413
    assert all(p.data == r.data[16:] and p.protocol == int.from_bytes(r.data[14:16], "big")
               for p, r in zip(got, records, strict=True))
    assert abs(t[0] - (records[-1].timestamp - records[0].timestamp) / 10.0) < 0.5  # the pace, ten times faster


def test_replay_clocks_give_the_files_floats_or_the_kernels_nanoseconds():
    file_clock = packets_of(OK, "file")
    kernel = packets_of(OK, "kernel")
    assert [p.timestamp for p in file_clock] == [r.timestamp for r in CaptureReader(OK)]
    assert all(k.ticks == f.ticks * 1000 and k.timestamp == k.ticks * 10.0 ** -9
               for k, f in zip(kernel, file_clock, strict=True))
