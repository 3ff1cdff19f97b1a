#!/usr/bin/env python3
"""Generate nl80211dec's enum tables from the kernel headers.

Why a script: the nl80211 ABI grows every kernel release and typed tables rot.
Every enum in ``nl80211.h`` is emitted (names with their common prefix removed),
plus the 802.11 status/reason/element/category enums and suite selectors of
``ieee80211.h``.  Aliases (``NL80211_CMD_ACTION = NL80211_CMD_FRAME``) are not
separate values: they go to an ``ALIASES`` map so a value keeps one name.

Usage::

    python tools/gen_tables.py            # rewrite the generated modules
    python tools/gen_tables.py --check    # exit 1 when they are out of date
"""

from __future__ import annotations

import argparse
import hashlib
import pprint
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER_DIRS = [ROOT / "tools" / "reference"]  # every header the generator reads is in the repository

NETLINK_OUT = ROOT / "nl80211dec" / "netlink" / "enums.py"
NL80211_OUT = ROOT / "nl80211dec" / "nl80211" / "enums.py"
IEEE80211_OUT = ROOT / "nl80211dec" / "wire" / "ieee80211.py"

# ieee80211.h enums worth having, by the C enum name -> Python table name.
IEEE80211_ENUMS = {
    "ieee80211_statuscode": "STATUS_CODES",
    "ieee80211_reasoncode": "REASON_CODES",
    "ieee80211_eid": "ELEMENT_IDS",
    "ieee80211_eid_ext": "EXT_ELEMENT_IDS",
    "ieee80211_category": "ACTION_CATEGORIES",
    "ieee80211_sa_query_action": "SA_QUERY_ACTIONS",
    "ieee80211_pub_actioncode": "PUBLIC_ACTIONS",
    "ieee80211_radio_measurement_actioncode": "RADIO_MEASUREMENT_ACTIONS",
    "ieee80211_spectrum_mgmt_actioncode": "SPECTRUM_MGMT_ACTIONS",
    "ieee80211_self_protected_actioncode": "SELF_PROTECTED_ACTIONS",
    "ieee80211_unprotected_wnm_actioncode": "UNPROTECTED_WNM_ACTIONS",
    "ieee80211_tdls_actioncode": "TDLS_ACTIONS",
    "ieee80211_timeout_interval_type": "TIMEOUT_INTERVAL_TYPES",
}

# IEEE 802.11-2020 Table 9-50 status codes that the kernel header lacks or
# misnumbers (it has FCG_NOT_SUPP at 78; the standard and hostapd put the
# unsupported-group code, which SAE depends on, at 77). Facts, not aliases.
STATUS_SUPPLEMENT = {
    53: "INVALID_PMKID",
    54: "INVALID_MDE",
    55: "INVALID_FTE",
    72: "INVALID_RSNE",
    77: "UNSUPPORTED_FINITE_CYCLIC_GROUP",
    78: "CANNOT_FIND_ALTERNATIVE_TBTT",
    123: "UNKNOWN_PASSWORD_IDENTIFIER",
}

# IEEE 802.11-2020 Table 9-92 extension element ids that SAE uses and the
# kernel header does not list.
EXT_ELEMENT_SUPPLEMENT = {
    33: "PASSWORD_IDENTIFIER",
    92: "REJECTED_GROUPS",
    93: "ANTI_CLOGGING_TOKEN",
}

# IEEE 802.11-2020 Table 9-482: WNM action field values (the kernel header
# names only the unprotected ones).
WNM_ACTIONS = {
    0: "EVENT_REQUEST", 1: "EVENT_REPORT", 2: "DIAGNOSTIC_REQUEST", 3: "DIAGNOSTIC_REPORT",
    4: "LOCATION_CONFIGURATION_REQUEST", 5: "LOCATION_CONFIGURATION_RESPONSE", 6: "BSS_TRANSITION_QUERY",
    7: "BSS_TRANSITION_REQUEST", 8: "BSS_TRANSITION_RESPONSE", 9: "FMS_REQUEST", 10: "FMS_RESPONSE",
    11: "COLLOCATED_INTERFERENCE_REQUEST", 12: "COLLOCATED_INTERFERENCE_REPORT", 13: "TFS_REQUEST",
    14: "TFS_RESPONSE", 15: "TFS_NOTIFY", 16: "SLEEP_MODE_REQUEST", 17: "SLEEP_MODE_RESPONSE",
    18: "TIM_BROADCAST_REQUEST", 19: "TIM_BROADCAST_RESPONSE", 20: "QOS_TRAFFIC_CAPABILITY_UPDATE",
    21: "CHANNEL_USAGE_REQUEST", 22: "CHANNEL_USAGE_RESPONSE", 23: "DMS_REQUEST", 24: "DMS_RESPONSE",
    25: "TIMING_MEASUREMENT_REQUEST", 26: "NOTIFICATION_REQUEST", 27: "NOTIFICATION_RESPONSE",
}

_ENUM_RE = re.compile(r"^enum\s+(\w+)\s*\{(.*?)^\};", re.S | re.M)
_COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_SUITE_RE = re.compile(r"^#define\s+WLAN_(CIPHER|AKM)_SUITE_(\w+)\s+SUITE\((\w+),\s*(\w+)\)", re.M)
_DEFINE_RE = re.compile(r"^#define\s+(WLAN_OUI_\w+)\s+(0x[0-9a-fA-F]+|\d+)\s*$", re.M)
_VERSION_RE = re.compile(r"NL80211_CMD_MAX|NL80211_ATTR_MAX")


def find_header(name: str) -> Path:
    for d in HEADER_DIRS:
        if (d / name).exists():
            return d / name
    raise SystemExit(f"gen_tables: {name} not found in {[str(d) for d in HEADER_DIRS]}")


def _int(text: str, known: dict[str, int]) -> int | None:
    """Evaluate the small constant expressions headers use; None if not one."""
    text = text.strip().strip("()").strip()
    m = re.fullmatch(r"(?:BIT\((\w+)\))|(?:1\s*<<\s*(\w+))", text)
    if m:
        shift = _int(m.group(1) or m.group(2), known)
        return None if shift is None else 1 << shift
    if re.fullmatch(r"0[xX][0-9a-fA-F]+|\d+", text):
        return int(text, 0)
    m = re.fullmatch(r"(\w+)\s*([-+])\s*(\d+)", text)
    if m and m.group(1) in known:
        return known[m.group(1)] + int(m.group(3)) * (1 if m.group(2) == "+" else -1)
    return known.get(text)


def parse_enums(source: str) -> dict[str, tuple[dict[int, str], dict[str, str]]]:
    """Return {enum name: ({value: NAME}, {ALIAS: NAME})} in header order."""
    out: dict[str, tuple[dict[int, str], dict[str, str]]] = {}
    for enum_name, body in _ENUM_RE.findall(source):
        body = _COMMENT_RE.sub("", body)
        values: dict[int, str] = {}
        aliases: dict[str, str] = {}
        known: dict[str, int] = {}
        nxt = 0
        for item in body.split(","):
            item = item.strip()
            if not item or item.startswith("#"):
                continue
            name, _, expr = (part.strip() for part in item.partition("="))
            if not re.fullmatch(r"\w+", name):
                continue
            # bookkeeping markers (__X_AFTER_LAST, NUM_X, X_MAX = NUM - 1) are not values
            derived = bool(re.search(r"\w\s*[-+]\s*\d", expr))
            marker = (re.match(r"__\w*(AFTER_LAST|_NUM|_LAST|_INVALID)$", name) or name.startswith(("NUM_", "MAX_"))
                      or (derived and name.endswith("_MAX")))
            if expr:
                if re.fullmatch(r"[A-Z_][A-Z0-9_]*", expr) and expr in known:
                    aliases[name] = values.get(known[expr], expr)
                    known[name] = known[expr]
                    continue
                value = _int(expr, known)
                if value is None:  # e.g. __AFTER_LAST - 1: bookkeeping, not a value
                    continue
            else:
                value = nxt
            known[name] = value
            nxt = value + 1
            if marker:
                continue
            values.setdefault(value, name.lstrip("_"))
        out[enum_name] = (values, aliases)
    return out


def strip_prefix(values: dict[int, str]) -> tuple[str, dict[int, str]]:
    """Drop the longest common ``WORD_`` prefix so names read as users say them."""
    names = list(values.values())
    if len(names) < 2:
        return "", dict(values)
    parts = [n.split("_") for n in names]
    common: list[str] = []
    for tokens in zip(*parts):  # noqa: B905 - shortest name bounds the prefix
        if len(set(tokens)) != 1:
            break
        common.append(tokens[0])
    # keep at least one token of each name
    while common and any(len(p) <= len(common) for p in parts):
        common.pop()
    # a bare number is no name ('WPA_VERSION_3', not '3')
    while common and any("_".join(p[len(common):]).isdigit() for p in parts):
        common.pop()
    prefix = "_".join(common) + "_" if common else ""
    return prefix, {v: n[len(prefix):] for v, n in values.items()}


def _unprefix(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name


def _header_line(path: Path, data: bytes) -> str:
    return f"# source: {path.name} sha256 {hashlib.sha256(data).hexdigest()}\n"


def render_nl80211(path: Path) -> str:
    data = path.read_bytes()
    enums = parse_enums(data.decode())
    cmds = enums["nl80211_commands"][0]
    attrs = enums["nl80211_attrs"][0]
    lines = [
        '"""nl80211 enums generated by tools/gen_tables.py from the kernel header. Do not edit."""\n',
        _header_line(path, data),
        f"# kernel header generation: NL80211_CMD_MAX {max(cmds)}, NL80211_ATTR_MAX {max(attrs)}"
        " (net-next, 7.2-rc1 era; see tools/reference/README.md)\n",
        "# Each table maps value -> name with the enum's common prefix removed.\n\n",
        "PREFIXES: dict[str, str] = {}\n",
        "ENUMS: dict[str, dict[int, str]] = {}\n",
        "ALIASES: dict[str, dict[str, str]] = {}\n\n",
    ]
    for enum_name, (values, aliases) in enums.items():
        prefix, short = strip_prefix(values)
        lines.append(f"PREFIXES[{enum_name!r}] = {prefix!r}\n")
        lines.append(f"ENUMS[{enum_name!r}] = {pprint.pformat(short, width=100, sort_dicts=True)}\n")
        if aliases:
            short_alias = {_unprefix(a, prefix): _unprefix(t, prefix) for a, t in aliases.items()}
            lines.append(f"ALIASES[{enum_name!r}] = {pprint.pformat(short_alias, width=100)}\n")
        lines.append("\n")
    lines.append('COMMANDS = ENUMS["nl80211_commands"]\nATTRS = ENUMS["nl80211_attrs"]\n')
    return "".join(lines)


def render_ieee80211(path: Path) -> str:
    data = path.read_bytes()
    source = data.decode()
    enums = parse_enums(source)
    lines = [
        '"""IEEE 802.11 tables generated by tools/gen_tables.py from ieee80211.h. Do not edit."""\n',
        _header_line(path, data),
        "\n",
    ]
    for c_name, py_name in IEEE80211_ENUMS.items():
        values, _aliases = enums[c_name]
        _prefix, short = strip_prefix(values)
        supplement = {"STATUS_CODES": STATUS_SUPPLEMENT, "EXT_ELEMENT_IDS": EXT_ELEMENT_SUPPLEMENT}
        if py_name in supplement:
            short.update(supplement[py_name])
            short = dict(sorted(short.items()))
        lines.append(f"{py_name}: dict[int, str] = {pprint.pformat(short, width=100)}\n\n")
    lines.append(f"WNM_ACTIONS: dict[int, str] = {pprint.pformat(WNM_ACTIONS, width=100)}\n\n")
    lines.extend(_define_tables(source))
    ouis = {name: int(v, 0) for name, v in _DEFINE_RE.findall(source)}
    suites: dict[str, dict[int, str]] = {"CIPHER": {}, "AKM": {}}
    for kind, name, oui, ident in _SUITE_RE.findall(source):
        oui_v = _int(oui, ouis)
        id_v = _int(ident, ouis)
        if oui_v is None or id_v is None:
            continue
        suites[kind].setdefault((oui_v << 8) | id_v, name)
    lines.append(f"CIPHER_SUITES: dict[int, str] = {pprint.pformat(suites['CIPHER'], width=100)}\n\n")
    lines.append(f"AKM_SUITES: dict[int, str] = {pprint.pformat(suites['AKM'], width=100)}\n\n")
    lines.append(f"OUIS: dict[str, int] = {pprint.pformat(ouis, width=100)}\n")
    return "".join(lines)


def render_netlink() -> str:
    """rtnetlink and nlctrl names, taken from pyroute2's own tables."""
    import pyroute2
    import pyroute2.netlink as nl
    from pyroute2.netlink import ctrlmsg, rtnl
    from pyroute2.netlink.rtnl import ifinfmsg as ifinfmod
    from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    def consts(module, prefix: str) -> dict[int, str]:
        out: dict[int, str] = {}
        for k, v in sorted(vars(module).items(), key=lambda kv: str(kv[1])):
            if k.startswith(prefix) and isinstance(v, int):
                out.setdefault(v, k[len(prefix):])
        return dict(sorted(out.items()))

    def nla(cls, prefix: str) -> dict[int, tuple[str, str]]:
        return {i: (n[len(prefix):] if n.startswith(prefix) else n, t) for i, (n, t) in enumerate(cls.nla_map)}

    tables = {
        "RTM_TYPES": consts(rtnl, "RTM_"),
        "CTRL_CMDS": consts(nl, "CTRL_CMD_"),
        "NLMSG_TYPES": {k: v for k, v in consts(nl, "NLMSG_").items() if k < 16},
        "IFLA_ATTRS": nla(ifinfmsg, "IFLA_"),
        "IFA_ATTRS": nla(ifaddrmsg, "IFA_"),
        "CTRL_ATTRS": nla(ctrlmsg, "CTRL_ATTR_"),
        "IFF_FLAGS": {v: k[4:] for k, v in sorted(ifinfmod.IFF_NAMES.items(), key=lambda kv: kv[1])},
        "OPERSTATES": {k: v.upper() for k, v in sorted(ifinfmod.state_by_code.items())},
        "CTRL_OP_ATTRS": nla(ctrlmsg.ops, "CTRL_ATTR_OP_"),
        "CTRL_MCAST_ATTRS": nla(ctrlmsg.mcast_groups, "CTRL_ATTR_MCAST_GRP_"),
    }
    lines = [
        '"""Netlink, rtnetlink and nlctrl names generated by tools/gen_tables.py. Do not edit."""\n',
        f"# source: pyroute2 {pyroute2.__version__} tables (names only; no runtime dependency)\n\n",
    ]
    for name, table in tables.items():
        lines.append(f"{name} = {pprint.pformat(table, width=100)}\n\n")
    return "".join(lines)


def _defines(source: str, prefix: str) -> list[tuple[str, int]]:
    """``#define PREFIX_NAME value`` lines in header order (constant values only)."""
    out = []
    for name, expr in re.findall(rf"^#define\s+{prefix}(\w+)\s+([^\n/]+)", source, re.M):
        value = _int(expr, {})
        if value is not None:
            out.append((name, value))
    return out


def _define_tables(source: str) -> list[str]:
    """Frame types/subtypes, auth algorithms and capability bits from #defines."""
    ftypes = {v >> 2: n for n, v in _defines(source, "IEEE80211_FTYPE_")}
    # subtype #defines come in runs per frame type (mgmt, ctl, data, ext), each
    # run in ascending order; a value that does not ascend starts the next run
    runs: list[dict[int, str]] = [{}]
    last = -1
    for name, value in _defines(source, "IEEE80211_STYPE_"):
        if value <= last:
            runs.append({})
        runs[-1].setdefault(value >> 4, name)
        last = value
    subtypes = {ftype: runs[i] for i, ftype in enumerate(sorted(ftypes)) if i < len(runs)}
    auth = {}
    for n, v in _defines(source, "WLAN_AUTH_"):
        if not n.endswith("_LEN"):
            auth.setdefault(v, n)
    caps = {}
    for n, v in _defines(source, "WLAN_CAPABILITY_"):
        caps.setdefault(v, n)
    return [
        f"FRAME_TYPES: dict[int, str] = {pprint.pformat(ftypes, width=100)}\n\n",
        f"FRAME_SUBTYPES: dict[int, dict[int, str]] = {pprint.pformat(subtypes, width=100)}\n\n",
        f"AUTH_ALGORITHMS: dict[int, str] = {pprint.pformat(auth, width=100)}\n\n",
        f"CAPABILITY_BITS: dict[int, str] = {pprint.pformat(caps, width=100)}\n\n",
    ]


def targets() -> list[tuple[Path, str]]:
    return [(NL80211_OUT, render_nl80211(find_header("nl80211.h"))), (NETLINK_OUT, render_netlink()),
            (IEEE80211_OUT, render_ieee80211(find_header("ieee80211.h")))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report whether the generated files are up to date")
    args = ap.parse_args(argv)
    stale = []
    for path, text in targets():
        current = path.read_text() if path.exists() else None
        if current == text:
            print(f"{path.relative_to(ROOT)}: up-to-date")
        elif args.check:
            stale.append(path)
            print(f"{path.relative_to(ROOT)}: out of date")
        else:
            path.write_text(text)
            print(f"{path.relative_to(ROOT)}: written")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
