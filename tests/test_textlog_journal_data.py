"""Where the journal tests find their logs, and the small converter that makes the other journal formats.

The repository's copies come first (``captures/<scenario>/client.log[.gz]``,
``captures/real-brcmfmac/logs/*.journal.txt[.gz]``); ``/work/shared`` is the
lab's original, present while developing.  A test whose log is in neither
place is skipped and says which file it looked for.

We have no real ``-o json``, ``short-iso``, ``short-monotonic``... journals
of these connections, only ``-o short`` ones; :func:`convert` rewrites a real
``-o short`` journal into each other format (the time of line *n* gets *n*
microseconds so precise formats are distinguishable), and the tests check the
reader gives the same events at the converted times.
"""

from __future__ import annotations

import calendar
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")
REAL_JOURNALS = (
    "2024-12-12_KeithG_iwd_debug_connect",
    "2024-12-18_KeithG_failed_connect",
    "2024-12-29_KeithG_failed_DHCP",
    "2025-01-25_KeithG_iwd_apipa",
    "2025-01-25_KeithG_iwd_dhcp",
)
REAL_YEAR = {"2024-12-12_KeithG_iwd_debug_connect": 2024, "2024-12-18_KeithG_failed_connect": 2024,
             "2024-12-29_KeithG_failed_DHCP": 2024, "2025-01-25_KeithG_iwd_apipa": 2025,
             "2025-01-25_KeithG_iwd_dhcp": 2025}


def first_existing(*candidates: Path) -> Path | None:
    for path in candidates:
        for p in (path, path.with_name(path.name + ".gz")):
            if p.is_file():
                return p
    return None


def real_journal(name: str) -> Path:
    path = first_existing(REPO / "captures" / "real-brcmfmac" / "logs" / f"{name}.journal.txt",
                          SHARED / "real-brcmfmac" / "logs" / f"{name}.journal.txt")
    if path is None:
        pytest.skip(f"real journal {name}.journal.txt not copied into captures/real-brcmfmac/logs yet")
    return path


def lab_folders() -> list[Path]:
    """Every lab scenario folder that has a client or hostapd log (repo copy preferred)."""
    seen: dict[str, Path] = {}
    for root in (REPO / "captures", SHARED / "captures", SHARED / "captures-fmac"):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.name in seen or not folder.is_dir():
                continue
            if first_existing(folder / "client.log", folder / "hostapd.log") is not None:
                seen[folder.name] = folder
    return [seen[k] for k in sorted(seen)]


def lab_log(scenario: str, name: str) -> Path:
    path = first_existing(REPO / "captures" / scenario / name, SHARED / "captures" / scenario / name,
                          SHARED / "captures-fmac" / scenario / name)
    if path is None:
        pytest.skip(f"{scenario}/{name} not copied into captures/{scenario}/ yet")
    return path


# --- the format converter (documented above) -------------------------------------------------------------------

SHORT = re.compile(r"^(?P<mon>\w{3}) (?P<day>[ \d]\d) (?P<hms>\d\d:\d\d:\d\d) (?P<host>\S+) "
                   r"(?P<ident>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FORMATS = ("short", "short-precise", "short-iso", "short-iso-precise", "short-full", "short-unix",
           "short-monotonic", "json", "dmesg", "bare-iwd")


def split_short(line: str, year: int) -> dict | None:
    found = SHORT.match(line)
    if found is None:
        return None
    h, m, s = (int(x) for x in found["hms"].split(":"))
    day = int(found["day"])
    epoch = calendar.timegm((year, MONTHS.index(found["mon"]) + 1, day, h, m, s))
    return {**found.groupdict(), "epoch": epoch}


def convert(text: str, fmt: str, year: int) -> tuple[str, dict[int, tuple[int, float | None]]]:
    """(the journal in ``fmt``, {new line number: (original line number, expected time)})."""
    out: list[str] = []
    where: dict[int, tuple[int, float | None]] = {}
    first_epoch: float | None = None
    for number, line in enumerate(text.splitlines(), 1):
        parts = split_short(line, year)
        if parts is None:
            continue
        micro = number % 1_000_000
        precise = parts["epoch"] + micro / 1e6
        first_epoch = precise if first_epoch is None else first_epoch
        ident = parts["ident"] + (f"[{parts['pid']}]" if parts["pid"] else "")
        head = f"{parts['host']} {ident}: "
        stamp = parts["epoch"]
        if fmt == "short":
            new, t = line, float(stamp)
        elif fmt == "short-precise":
            new, t = f"{line[:15]}.{micro:06d}{line[15:]}", precise
        elif fmt in ("short-iso", "short-iso-precise"):
            shifted = stamp + 3600  # written as local time in +01:00
            iso = _iso(shifted) + (f".{micro:06d}" if fmt.endswith("precise") else "") + "+0100"
            new, t = f"{iso} {head}{parts['msg']}", precise if fmt.endswith("precise") else float(stamp)
        elif fmt == "short-full":
            wday = DAYS[_weekday(stamp)]
            new, t = f"{wday} {_iso(stamp).replace('T', ' ')} UTC {head}{parts['msg']}", float(stamp)
        elif fmt == "short-unix":
            new, t = f"{precise:.6f} {head}{parts['msg']}", precise
        elif fmt == "short-monotonic":
            mono = precise - first_epoch + 5.0
            new, t = f"[{mono:12.6f}] {head}{parts['msg']}", mono
        elif fmt == "json":
            entry = {"__REALTIME_TIMESTAMP": str(int(round(precise * 1e6))), "_COMM": parts["ident"],
                     "SYSLOG_IDENTIFIER": parts["ident"], "MESSAGE": parts["msg"], "_PID": parts["pid"] or ""}
            if parts["ident"] == "kernel":
                entry["_TRANSPORT"] = "kernel"
            new, t = json.dumps(entry), precise
        elif fmt == "dmesg":
            if parts["ident"] != "kernel":
                continue
            mono = precise - first_epoch + 5.0
            new, t = f"[{mono:12.6f}] {parts['msg']}", mono
        elif fmt == "bare-iwd":
            if parts["ident"] != "iwd":
                continue
            new, t = parts["msg"], None
        else:
            raise ValueError(fmt)
        out.append(new)
        where[len(out)] = (number, t)
    return "\n".join(out) + "\n", where


def _iso(epoch: float) -> str:
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))


def _weekday(epoch: float) -> int:
    import time
    return time.gmtime(epoch).tm_wday
