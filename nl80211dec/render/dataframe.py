"""pandas DataFrames of messages and attempts, for notebooks.

pandas is an optional extra (``pip install 'nl80211dec[notebook]'``); without
it these functions raise an ImportError that says how to get it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..netlink.message import Message
from ..sae.body import sae_in
from ..sequence.attempt import TIMING_KEYS, Attempt

KEY_ATTRS = ("IFINDEX", "MAC", "BSSID", "SSID", "WIPHY_FREQ", "AUTH_TYPE", "STATUS_CODE", "REASON_CODE",
             "EXTERNAL_AUTH_ACTION", "COOKIE", "ACK")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'nl80211dec[notebook]' (or pip install pandas)") \
            from None
    return pandas


def _sae_of(msg: Message) -> Any:
    return next((s for a in msg.payloads or () if (s := sae_in(a.decoded)) is not None), None)


def message_rows(messages: Iterable[Message]) -> Iterable[dict[str, Any]]:
    for m in messages:
        row: dict[str, Any] = {"index": m.index, "time": m.timestamp, "record": m.record, "role": m.role,
                               "family": m.family, "cmd": m.cmd, "cmd_name": m.cmd_name or m.type_name,
                               "seq": m.seq, "malformed": m.malformed, "duplicate_of": m.duplicate_of,
                               "errno": m.error.errno if m.error is not None else None}
        for name in KEY_ATTRS:
            a = m.get(name)
            row[name.lower()] = None if a is None else (a.text or a.value)
        sae = _sae_of(m)
        row["sae_message"] = sae.message if sae else None
        row["sae_status"] = sae.status if sae else None
        row["sae_group"] = sae.group if sae else None
        yield row


def messages_dataframe(messages: Iterable[Message]) -> Any:
    pd = _pandas()
    df = pd.DataFrame(list(message_rows(messages)))
    if not df.empty:
        df["time_s"] = df["time"]
        df["time"] = _datetimes(pd, df["time"])
    return df


def _datetimes(pd: Any, seconds: Any) -> Any:
    """Capture seconds as UTC datetimes; a timestamp pandas cannot hold (past 2262, say) becomes NaT."""
    return pd.to_datetime(seconds, unit="s", utc=True, errors="coerce")


def attempts_dataframe(attempts: Iterable[Attempt]) -> Any:
    pd = _pandas()
    rows = []
    for a in attempts:
        row = {"number": a.number, "verdict": a.verdict, "stage": a.stage,
               "ending": a.ending.kind if a.ending is not None else None, "mode": a.mode, "ifindex": a.ifindex,
               "station": a.station, "ap": a.ap, "ssid": a.ssid, "start": a.start_time, "end": a.end_time,
               "first_divergence": a.first_divergence, "groups_tried": a.groups_tried,
               "pmksa_offered": a.pmkid_offered, "anti_clogging_rounds": a.anti_clogging_rounds}
        timings = a.timings()  # the same columns for every attempt and every capture
        row.update({f"ms {k}": timings.get(k) for k in (*TIMING_KEYS, "total")})
        rows.append(row)
    df = pd.DataFrame(rows)
    if not df.empty:
        df["start_s"], df["end_s"] = df["start"], df["end"]
        df["start"] = _datetimes(pd, df["start"])
        df["end"] = _datetimes(pd, df["end"])
    return df
