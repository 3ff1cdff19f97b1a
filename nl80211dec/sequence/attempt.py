"""One connection attempt: its evidence, how far it got, how it ended, and what that means.

An attempt keeps plain values only, within bounds (:data:`MAX_STEPS`,
:data:`MAX_SAE`): an attempt that never ends must not grow without limit,
and what is dropped is counted.  Every sentence of the explanation is a
:class:`Claim` that names the messages (or log lines) it rests on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .state import COMMIT_OK, GROUP_REFUSED, RANK, STAGES, TOKEN_REQUIRED

MAX_STEPS = 400  # ladder steps kept per attempt
MAX_SAE = 64  # SAE frames kept per attempt (retransmission storms are counted, not kept)


@dataclass(slots=True)
class Step:
    """One arrow of the ladder: lanes are 'S' (station/supplicant), 'K' (kernel/driver), 'A' (AP)."""

    index: int
    time: float
    src: str
    dst: str
    text: str
    mark: str = ""  # "ACK", "no ACK", "error", "!"
    word: str = ""
    status: int | None = None
    source: str | None = None  # a log's name for log evidence; None for the capture
    line: int | None = None
    facts: dict[str, Any] | None = None  # a log line's kind and fields


@dataclass(slots=True)
class SaeFrame:
    direction: str  # "tx" (sent by the attempt's owner) or "rx" (the peer's)
    message: str  # commit / confirm
    status: int
    group: int | None
    index: int
    time: float
    acked: bool | None = None
    scalar: bytes | None = None
    send_confirm: int | None = None
    token: bool = False
    raw: bytes | None = None  # the whole frame until its TX status is matched by content


@dataclass(slots=True)
class Claim:
    """One sentence of an explanation and the evidence it rests on.

    ``kind`` names what is claimed so that a checker can hold the sentence to
    the attempt's evidence (``tests/test_claims.py``); ``facts`` are the
    values the sentence states.
    """

    kind: str
    text: str
    refs: tuple[int, ...] = ()
    certainty: str = "certain"
    facts: dict[str, Any] = field(default_factory=dict)
    logs: tuple[str, ...] = ()  # "client.log:123" for evidence from a log

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "text": self.text, "certainty": self.certainty,
                             "refs": list(self.refs)}
        if self.logs:
            d["logs"] = list(self.logs)
        return d


@dataclass(slots=True)
class Candidate:
    """A possible cause the capture cannot settle: how sure, what supports it, what would tell."""

    cause: str
    certainty: str
    support: str
    refs: tuple[int, ...] = ()
    tell_apart: str = ""
    verdict: str | None = None  # the verdict id this cause would be, when it has one

    def as_dict(self) -> dict[str, Any]:
        return {"cause": self.cause, "certainty": self.certainty, "support": self.support, "refs": list(self.refs),
                "tell_apart": self.tell_apart, "verdict": self.verdict}


@dataclass(slots=True)
class Finding:
    """An anomaly beside the verdict (never instead of it)."""

    id: str
    text: str
    refs: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "refs": list(self.refs)}


@dataclass(slots=True)
class Ending:
    kind: str  # state.ENDING_KINDS or state.CLOSE_KINDS, or "connected"
    index: int | None  # the message that ended it (None when nothing did)
    word: str | None = None
    status: int | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "index": self.index, "word": self.word, "status": self.status,
                "detail": self.detail}


@dataclass(repr=False)
class Attempt:
    number: int
    mode: str
    ifindex: int | None
    start_index: int
    start_time: float
    station: str | None = None
    ap: str | None = None
    ssid: str | None = None
    freq: int | None = None
    auth_type: str | None = None
    akm: str | None = None
    akm_raw: bytes | None = None
    pmkids: list[str] = field(default_factory=list)
    pmkid_offered: bool = False
    pmksa_known: bool = True  # False when the request that would say it was cleared or is missing
    sae_password: bool = False
    external_auth: bool = False
    steps: list[Step] = field(default_factory=list)
    steps_dropped: int = 0
    sae: list[SaeFrame] = field(default_factory=list)
    sae_dropped: int = 0
    words: Counter[str] = field(default_factory=Counter)
    first: dict[str, int] = field(default_factory=dict)  # word -> first message index
    last: dict[str, int] = field(default_factory=dict)  # word -> last message index
    rank: int = 0  # furthest stage reached (index into state.STAGES)
    rank_index: int | None = None  # the message that proved it
    progress_index: int | None = None  # the last message that moved the attempt on
    progress_time: float | None = None
    ended: Ending | None = None  # the strongest ending after the last progress (None: nothing ended it)
    ending: Ending | None = None  # set when closed
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
    ext_start: int | None = None
    ext_abort: int | None = None
    eapol: dict[str, int] = field(default_factory=dict)  # message -> first index
    eapol_counts: Counter[str] = field(default_factory=Counter)
    eapol_pmkid: str | None = None
    authorized_index: int | None = None
    timeout: tuple[str, int] | None = None
    disconnect: dict[str, Any] | None = None
    scan: dict[str, Any] | None = None
    cleared_before: list[int] = field(default_factory=list)  # cleared requests just before the attempt opened
    gaps: list[tuple[str, int]] = field(default_factory=list)  # (expected word missing, index of later evidence)
    borrowed: list[tuple[str, int]] = field(default_factory=list)  # (our word lost here, the AP's copy of it)
    logs: list[Step] = field(default_factory=list)  # log lines that speak about this attempt
    end_index: int | None = None
    end_time: float | None = None
    closed_by: str = ""
    capture_end_time: float | None = None
    capture_end_index: int | None = None
    verdict: str = "incomplete"
    title: str = ""
    claims: list[Claim] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    advice: str = ""
    first_divergence: int | None = None
    pmkid_check: dict[str, Any] | None = None
    air: dict[str, Any] | None = None  # evidence from an over-the-air capture (see air/join.py)
    linked: int | None = None  # the number of the other side's attempt at the same exchange
    source: str | None = None  # the log an attempt was rebuilt from (read alone); None for a capture
    requests: list[int] = field(default_factory=list)  # this attempt's requests still awaiting an answer
    last_sae: str | None = None  # who sent the latest SAE frame: "STA" or "AP"

    def __repr__(self) -> str:
        return (f"<Attempt {self.number} {self.mode} {self.station or '?'}->{self.ap or '?'} "
                f"ssid={self.ssid!r}: {self.verdict} ({self.stage}, {self.ending.kind if self.ending else 'open'})>")

    # -- what the tables ask ---------------------------------------------------
    @property
    def stage(self) -> str:
        return STAGES[self.rank]

    @property
    def explanation(self) -> str:
        return " ".join(c.text for c in self.claims)

    @property
    def state(self) -> str:  # kept for the JSON key of release 0.1: now the furthest stage
        return self.stage

    def saw(self, word: str) -> bool:
        return self.words[word] > 0

    def tried_anything(self) -> bool:
        """Past the request that opened it: a frame sent, a status reported, or an ending."""
        return (self.rank > RANK["connect"] or self.ended is not None or self.saw("STA_COMMIT")
                or self.saw("EXT_AUTH_REPORT") or self.saw("STA_OPEN_AUTH"))

    def sae_finished(self) -> bool:
        """The SAE exchange is over: confirmed, rejected (but for token/group), timed out or given up."""
        if self.rank >= RANK["confirm"]:
            return True
        return self.ended is not None and not (self.ended.word == "AP_REJECT"
                                               and self.ended.status in (TOKEN_REQUIRED, GROUP_REFUSED))

    def fresh_commit(self, ev: Any) -> bool:
        """Does the station's commit ``ev`` begin a new try (not a retransmission, token or group retry)?"""
        if self.mode in ("softmac-open", "fullmac"):
            return True
        if self.sae_finished():
            return True
        station = "rx" if self.mode == "ap" else "tx"
        sent = [f for f in self.sae if f.direction == station and f.message == "commit"]
        if self.ended is not None:
            if not sent:
                return True  # an attempt rebuilt from the peer's answer alone has ended: this is the next try
            if self.ended.status == GROUP_REFUSED:
                group = getattr(ev.sae, "group", None)  # (a log may not say: then it is the fallback)
                return group is not None and group in {f.group for f in sent}  # the same group: a retry
            return False  # the commit that echoes the anti-clogging token
        scalar = getattr(ev.sae, "scalar", None)
        # the AP committed and the station starts over with a new scalar: its next try (a lost answer, a timeout);
        # a log does not print scalars: after the AP's commit, the station's next commit is taken as a new try
        return self.saw("AP_COMMIT") and bool(sent) and (scalar is None or scalar != sent[-1].scalar)

    def answers_a_lost_frame(self, ev: Any) -> bool:
        """A peer SAE frame right after another peer frame that ended the exchange answers a frame we lost."""
        if self.last_sae != "AP" or self.mode == "ap":
            return False
        if self.sae_finished():
            return True
        refused = {f.group for f in self.sae_where("rx", "commit", (GROUP_REFUSED,))}
        return ev.word == "AP_REJECT" and ev.status == GROUP_REFUSED and getattr(ev.sae, "group", None) in refused

    # -- SAE frames --------------------------------------------------------------
    def sae_where(self, direction: str, message: str | None = None, status: tuple[int, ...] | None = None
                  ) -> list[SaeFrame]:
        return [f for f in self.sae if f.direction == direction and (message is None or f.message == message)
                and (status is None or f.status in status)]

    def add_sae(self, frame: SaeFrame, sender: str) -> None:
        self.last_sae = sender
        if len(self.sae) >= MAX_SAE:
            self.sae_dropped += 1
            return
        self.sae.append(frame)

    @property
    def commits_sent(self) -> list[SaeFrame]:
        return [f for f in self.sae_where("tx", "commit") if f.status in COMMIT_OK]

    @property
    def groups_tried(self) -> list[int]:
        out: list[int] = []
        for f in self.commits_sent:
            if f.group is not None and f.group not in out:
                out.append(f.group)
        return out

    @property
    def anti_clogging_rounds(self) -> int:
        side = "tx" if self.mode == "ap" else "rx"
        return len(self.sae_where(side, "commit", (TOKEN_REQUIRED,)))

    def add_step(self, step: Step) -> None:
        if len(self.steps) >= MAX_STEPS:
            self.steps_dropped += 1
            return
        self.steps.append(step)

    def time_of(self, index: int | None) -> float | None:
        for s in self.steps:
            if s.index == index:
                return s.time
        return None

    def timings(self) -> dict[str, float]:
        """Milliseconds from the attempt's start to each stage it reached (stable keys: stage names)."""
        marks: dict[str, float] = {}
        for s in self.steps:
            if s.source is not None or (s.word in ("ASSOC_RESP", "CONNECT_RESULT") and s.status):
                continue
            key = _TIMING_WORDS.get(s.word)
            if key == "eapol":
                key = f"4way-{s.text[-1]}" if s.text.startswith("EAPoL 4-way message") else None
            if key is not None and key not in marks:
                marks[key] = s.time
        out = {k: round((marks[k] - self.start_time) * 1000, 3) for k in TIMING_KEYS if k in marks}
        if self.end_time is not None:
            out["total"] = round((self.end_time - self.start_time) * 1000, 3)
        return out

    def as_dict(self) -> dict[str, Any]:
        ending = self.ending
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
            "state": self.stage,
            "stage": self.stage,
            "ending": ending.as_dict() if ending is not None else None,
            "claims": [c.as_dict() for c in self.claims],
            "candidates": [c.as_dict() for c in self.candidates],
            "findings": [f.as_dict() for f in self.findings],
            "linked_attempt": self.linked,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "closed_by": self.closed_by,
            "groups_tried": self.groups_tried,
            "anti_clogging_rounds": self.anti_clogging_rounds,
            "sae_frames": [{"direction": f.direction, "message": f.message, "status": f.status, "group": f.group,
                            "index": f.index, "time": f.time, "acked": f.acked} for f in self.sae],
            "sae_frames_dropped": self.sae_dropped,
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
            "log_evidence": [{"source": s.source, "line": s.line, "time": s.time, "text": s.text}
                             for s in self.logs],
        }


# Timing columns: the same keys for every attempt, so attempts and captures line up.
TIMING_KEYS = ("connect", "commit", "peer-commit", "confirm", "peer-confirm", "associated", "4way-1", "4way-2",
               "4way-3", "4way-4", "authorized")
_TIMING_WORDS = {"CONNECT_REQ": "connect", "EXT_AUTH_START": "connect", "STA_COMMIT": "commit",
                 "AP_COMMIT": "peer-commit", "STA_CONFIRM": "confirm", "AP_CONFIRM": "peer-confirm",
                 "ASSOC_RESP": "associated", "CONNECT_RESULT": "associated", "EAPOL": "eapol",
                 "AUTHORIZED": "authorized"}
