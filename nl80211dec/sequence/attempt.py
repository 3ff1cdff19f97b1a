"""One connection attempt: the facts the sequencer gathered and its verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_STEPS = 400  # an attempt that never ends must not grow without bound


@dataclass(slots=True)
class Step:
    """One arrow of the ladder: lanes are 'S' (supplicant), 'K' (kernel/driver), 'A' (AP)."""

    index: int
    time: float
    src: str
    dst: str
    text: str
    mark: str = ""  # "ACK", "no ACK", "error", "!" (divergence)


@dataclass(slots=True)
class SaeFrame:
    direction: str  # "tx" (ours) or "rx" (the peer's)
    message: str
    status: int
    group: int | None
    index: int
    time: float
    acked: bool | None = None
    scalar: bytes | None = None
    raw: bytes | None = None  # the whole frame, for TX-status matching by content


@dataclass(repr=False)
class Attempt:
    number: int
    mode: str
    ifindex: int | None
    start_index: int
    start_time: float
    state: str = ""
    station: str | None = None
    ap: str | None = None
    ssid: str | None = None
    freq: int | None = None
    auth_type: str | None = None
    akm: str | None = None
    pmkid_offered: bool = False
    sae_password: bool = False  # CONNECT carried SAE_PASSWORD: the driver runs SAE itself
    pmkids: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    steps_dropped: int = 0
    sae: list[SaeFrame] = field(default_factory=list)
    divergence: tuple[int, str, str] | None = None  # (message index, event word, state)
    ext_start: int | None = None
    ext_abort: int | None = None
    report_status: int | None = None
    report_index: int | None = None
    report_errno: int | None = None
    report_answer_index: int | None = None
    report_ext_msg: str | None = None
    request_errors: list[tuple[str, int, int]] = field(default_factory=list)  # cmd, errno, index
    assoc_status: int | None = None
    assoc_index: int | None = None
    connect_status: int | None = None
    connect_index: int | None = None
    eapol: dict[str, int] = field(default_factory=dict)
    eapol_pmkid: str | None = None
    authorized_index: int | None = None
    timeout: tuple[str, int] | None = None
    disconnect: dict[str, Any] | None = None
    scan: dict[str, Any] | None = None
    end_index: int | None = None
    end_time: float | None = None
    closed_by: str = ""
    verdict: str = "incomplete"
    title: str = ""
    explanation: str = ""
    advice: str = ""
    first_divergence: int | None = None
    pmkid_check: dict[str, Any] | None = None
    air: dict[str, Any] | None = None  # evidence from an over-the-air capture (see air/join.py)

    def __repr__(self) -> str:
        return (f"<Attempt {self.number} {self.mode} {self.station or '?'}->{self.ap or '?'} "
                f"ssid={self.ssid!r}: {self.verdict} ({len(self.steps)} steps)>")

    def add_step(self, step: Step) -> None:
        if len(self.steps) >= MAX_STEPS:
            self.steps_dropped += 1
            return
        self.steps.append(step)

    # -- derived facts used by the verdict table -----------------------------
    def sae_where(self, direction: str, message: str | None = None, status: tuple[int, ...] | None = None
                  ) -> list[SaeFrame]:
        return [f for f in self.sae if f.direction == direction and (message is None or f.message == message)
                and (status is None or f.status in status)]

    @property
    def commits_sent(self) -> list[SaeFrame]:
        return [f for f in self.sae_where("tx", "commit") if f.status in (0, 126, 127)]

    @property
    def groups_tried(self) -> list[int]:
        out: list[int] = []
        for f in self.commits_sent:
            if f.group is not None and f.group not in out:
                out.append(f.group)
        return out

    @property
    def anti_clogging_rounds(self) -> int:
        return len(self.sae_where("rx", status=(76,)))

    def timings(self) -> dict[str, float]:
        """Milliseconds between the steps users ask about."""
        marks: dict[str, float] = {"start": self.start_time}
        for f in self.sae:
            key = f"{f.direction}_{f.message}"
            marks.setdefault(key, f.time)
        for name, idx in (("connect", self.connect_index), ("assoc", self.assoc_index),
                          ("authorized", self.authorized_index)):
            if idx is not None:
                t = next((s.time for s in self.steps if s.index == idx), None)
                if t is not None:
                    marks[name] = t
        if self.eapol:
            first = min(self.eapol.values())
            last = max(self.eapol.values())
            for s in self.steps:
                if s.index == first:
                    marks["4way_start"] = s.time
                if s.index == last:
                    marks["4way_end"] = s.time
        out = {}
        sae_order = (["rx_commit", "tx_commit", "rx_confirm", "tx_confirm"] if self.mode == "ap" else
                     ["tx_commit", "rx_commit", "tx_confirm", "rx_confirm"])
        order = ["start", *sae_order, "assoc", "connect", "4way_start", "4way_end", "authorized"]
        present = [k for k in order if k in marks]
        for a, b in zip(present, present[1:]):  # noqa: B905
            out[f"{a}->{b}"] = round((marks[b] - marks[a]) * 1000, 3)
        if self.end_time is not None:
            out["total"] = round((self.end_time - self.start_time) * 1000, 3)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "attempt",
            "number": self.number,
            "verdict": self.verdict,
            "title": self.title,
            "explanation": self.explanation,
            "advice": self.advice,
            "first_divergence": self.first_divergence,
            "mode": self.mode,
            "ifindex": self.ifindex,
            "station": self.station,
            "ap": self.ap,
            "ssid": self.ssid,
            "freq": self.freq,
            "auth_type": self.auth_type,
            "akm": self.akm,
            "pmksa_offered": self.pmkid_offered,
            "sae_password": self.sae_password,
            "state": self.state,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "closed_by": self.closed_by,
            "groups_tried": self.groups_tried,
            "anti_clogging_rounds": self.anti_clogging_rounds,
            "sae_frames": [{"direction": f.direction, "message": f.message, "status": f.status, "group": f.group,
                            "index": f.index, "time": f.time, "acked": f.acked} for f in self.sae],
            "external_auth": None if self.ext_start is None and self.report_index is None else {
                "start_index": self.ext_start, "abort_index": self.ext_abort, "status_sent": self.report_status,
                "report_index": self.report_index, "kernel_answer": self.report_errno,
                "kernel_answer_index": self.report_answer_index},
            "request_errors": [{"cmd": c, "errno": e, "index": i} for c, e, i in self.request_errors],
            "assoc_status": self.assoc_status,
            "connect_status": self.connect_status,
            "four_way": self.eapol,
            "authorized_index": self.authorized_index,
            "disconnect": self.disconnect,
            "pmkid_check": self.pmkid_check,
            "air": self.air,
            "timings_ms": self.timings(),
            "steps": [{"index": s.index, "time": s.time, "from": s.src, "to": s.dst, "text": s.text, "mark": s.mark}
                      for s in self.steps],
            "steps_dropped": self.steps_dropped,
        }
