"""Findings: anomalies listed beside an attempt's verdict, never instead of it.

:data:`FINDINGS` is a table of (id, test); a test returns the sentence and
the messages it rests on, or None.  They hold for ``ok`` attempts too: a
connection that needed three confirms, or a PMKID the firmware ignored,
is worth knowing about even when it worked.
"""

from __future__ import annotations

from collections.abc import Callable

from .attempt import Attempt, Finding
from .state import AUTH_TIMEOUT, CONNECTED, SILENCE_S

Test = Callable[[Attempt], "tuple[str, tuple[int, ...]] | None"]


def _pmkid_mismatch(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    c = a.pmkid_check
    if not c or c.get("match") is not False:
        return None
    where = a.eapol.get("4-way message 1") or a.assoc_index
    return (f"the PMKID seen ({c['seen']}) differs from the one the SAE scalars give ({c['expected']})",
            (where,) if where is not None else ())


def _retransmission(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    tx = [f for f in a.sae if f.direction == "tx"]
    confirms = [f for f in tx if f.message == "confirm"]
    scalars = [f.scalar for f in tx if f.message == "commit" and f.scalar]
    repeats = len(scalars) - len(set(scalars))
    if len(confirms) > 1 or repeats:
        parts = []
        if repeats:
            parts.append(f"the same commit {repeats + 1} times")
        if len(confirms) > 1:
            parts.append(f"its confirm {len(confirms)} times")
        owner = "the AP" if a.mode == "ap" else "the station"
        return (f"{owner} sent {' and '.join(parts)} (retransmissions)", tuple(f.index for f in tx))
    return None


def _not_acked(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    lost = [f.index for f in a.sae if f.direction == "tx" and f.acked is False]
    if lost and any(f.acked for f in a.sae if f.direction == "tx"):
        return (f"{len(lost)} SAE frame(s) sent were not acknowledged", tuple(lost))
    return None


def _status_16(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    if a.mode == "external-auth" and a.connect_status == AUTH_TIMEOUT and a.connect_index is not None:
        return ("the CONNECT event says 16 (AUTH_TIMEOUT), which brcmfmac reports for every failed join: the "
                "steps before it tell what went wrong", (a.connect_index,))
    return None


def _pmksa_offered_sae_requested(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    if a.mode == "external-auth" and a.pmkid_offered and a.ext_start is not None:
        connect = a.first.get("CONNECT_REQ")
        return ("the CONNECT request offered a cached PMKID and the firmware still asked for SAE: it does not use "
                "the host's PMKSA", tuple(i for i in (connect, a.ext_start) if i is not None))
    return None


def _akm_byte_order(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    if a.ext_start is None or a.akm_raw is None or a.akm is None:
        return None
    if a.akm_raw == bytes.fromhex("000fac08"):
        return ("the EXTERNAL_AUTH AKM came in wire order (bytes 00 0f ac 08) instead of nl80211's host-order u32 "
                "(as the Raspberry Pi's brcmfmac sends it; wpa_supplicant 2.10 and iwd accept it)", (a.ext_start,))
    if a.akm_raw == bytes.fromhex("08ac0f00"):
        return ("the EXTERNAL_AUTH AKM came as nl80211's host-order u32 (bytes 08 ac 0f 00, as mainline brcmfmac "
                "sends it): Debian 12's wpa_supplicant 2.10 ignores it, iwd accepts it", (a.ext_start,))
    return None


def _no_connect_event(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    if a.mode != "external-auth" or a.connect_index is not None or a.ext_start is None or a.rank >= CONNECTED:
        return None
    end = a.end_time if a.end_time is not None else a.start_time
    waited = (a.capture_end_time or end) - end
    if waited >= SILENCE_S:
        return (f"no CONNECT event followed in the {waited:.1f} s the capture went on", (a.end_index or a.ext_start,))
    return None


def _eapol_before_connect(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    first = a.eapol.get("4-way message 1")
    if first is not None and a.connect_index is not None and first < a.connect_index:
        return ("EAPoL message 1 arrived before the CONNECT event (normal with brcmfmac)", (first, a.connect_index))
    return None


def _evidence_lost(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    if not a.gaps and not a.cleared_before and not a.borrowed:
        return None
    missing = ", ".join(sorted({w for w, _ in a.gaps + a.borrowed}))
    text = "the capture lost part of this attempt" + (f" (no {missing})" if missing else "")
    if a.cleared_before:
        text += f"; request #{a.cleared_before[-1]} was cleared by the kernel"
    return text, tuple(i for _, i in a.gaps + a.borrowed) + tuple(a.cleared_before[-1:])


def _link_local(a: Attempt) -> tuple[str, tuple[int, ...]] | None:
    for s in a.logs:
        if (s.facts or {}).get("kind") == "ip_address" and (s.facts or {}).get("apipa"):
            return (f"the interface took a link-local address ({(s.facts or {}).get('address')}, {s.source} line "
                    f"{s.line}): DHCP got no answer after the failed join - the symptom users see", ())
    return None


FINDINGS: list[tuple[str, Test]] = [
    ("pmkid-mismatch", _pmkid_mismatch),
    ("retransmission", _retransmission),
    ("tx-not-acked", _not_acked),
    ("status-16", _status_16),
    ("pmksa-offered-sae-requested", _pmksa_offered_sae_requested),
    ("akm-byte-order", _akm_byte_order),
    ("no-connect-event", _no_connect_event),
    ("eapol-before-connect", _eapol_before_connect),
    ("evidence-lost", _evidence_lost),
    ("link-local-address", _link_local),
]
FINDING_IDS = [i for i, _ in FINDINGS]


def find(a: Attempt) -> list[Finding]:
    out = []
    for fid, test in FINDINGS:
        hit = test(a)
        if hit is not None:
            out.append(Finding(fid, hit[0], hit[1]))
    return out
