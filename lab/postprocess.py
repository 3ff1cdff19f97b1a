#!/usr/bin/env python3
"""Post-process raw guest output ($LAB_OUT/raw/<scen>) into $LAB_OUT/captures/<scen>.

For every capture file: pcap facts (size, linktype from global header bytes 20..23, packet count),
capinfos output, `iwmon -r` text decode, `tshark -V` text decode, and an independent tiny
netlink/genl/nl80211 walk (command histogram + every SAE authentication frame seen inside
NL80211_ATTR_FRAME / NL80211_ATTR_AUTH_DATA) that doubles as ground truth for a decoder.
"""
import json, os, re, shutil, struct, subprocess, sys, collections

LAB = os.environ.get("LAB_OUT", os.path.join(os.getcwd(), "lab-out"))
RAW = f"{LAB}/raw"
CAP = f"{LAB}/captures"
NL80211_H = "/usr/include/linux/nl80211.h"


def parse_enum(name):
    txt = open(NL80211_H).read()
    m = re.search(r"enum\s+%s\s*\{(.*?)\};" % name, txt, re.S)
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    out, val, names = {}, -1, {}
    for ent in body.split(","):
        ent = ent.strip()
        if not ent or ent.startswith("#"):
            continue
        ent = ent.split("\n")[-1].strip() if "#" in ent else ent
        if "=" in ent:
            n, v = [x.strip() for x in ent.split("=", 1)]
            try:
                val = int(v, 0)
            except ValueError:
                val = names.get(v, None)
                if val is None:
                    continue
        else:
            n = ent
            val += 1
        names[n] = val
        out.setdefault(val, n)
    return out


CMDS = parse_enum("nl80211_commands")
ATTRS = parse_enum("nl80211_attrs")
A = {v: k for k, v in ATTRS.items()}
ATTR_FRAME, ATTR_AUTH_DATA, ATTR_AUTH_TYPE, ATTR_MAC, ATTR_STATUS = (
    A["NL80211_ATTR_FRAME"], A["NL80211_ATTR_AUTH_DATA"], A["NL80211_ATTR_AUTH_TYPE"],
    A["NL80211_ATTR_MAC"], A["NL80211_ATTR_STATUS_CODE"])
ATTR_IFINDEX = A["NL80211_ATTR_IFINDEX"]
LINKTYPES = {1: "EN10MB", 113: "LINUX_SLL", 127: "IEEE802_11_RADIOTAP", 253: "NETLINK", 276: "LINUX_SLL2"}
SUBTYPES = {0x00: "Assoc Req", 0x01: "Assoc Resp", 0x02: "Reassoc Req", 0x03: "Reassoc Resp", 0x04: "Probe Req",
            0x05: "Probe Resp", 0x08: "Beacon", 0x0a: "Disassoc", 0x0b: "Authentication", 0x0c: "Deauthentication",
            0x0d: "Action", 0x1b: "RTS", 0x1c: "CTS", 0x1d: "ACK", 0x28: "QoS Data", 0x20: "Data", 0x24: "Null",
            0x2c: "QoS Null"}
AIR_FIELDS = ["frame.number", "frame.time_relative", "wlan.fc.type_subtype", "wlan.sa", "wlan.da", "wlan.fixed.auth.alg",
              "wlan.fixed.auth_seq", "wlan.fixed.status_code", "wlan.fixed.reason_code", "wlan.fixed.finite_cyclic_group",
              "wlan.fixed.anti_clogging_token", "wlan.pmkid.akms", "wlan.fc.protected"]
NLPROTO = {0: "ROUTE", 16: "GENERIC"}


def read_pcap(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return None, []
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        e, ns = "<", False
    elif magic == b"\xa1\xb2\xc3\xd4":
        e, ns = ">", False
    elif magic == b"\x4d\x3c\xb2\xa1":
        e, ns = "<", True
    else:
        e, ns = ">", True
    vmaj, vmin, _, _, snap, lt = struct.unpack(e + "HHiIII", data[4:24])
    pkts, off = [], 24
    while off + 16 <= len(data):
        s, us, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        pkts.append((s + us / (1e9 if ns else 1e6), data[off:off + incl], orig))
        off += incl
    hdr = dict(magic=magic.hex(), version=f"{vmaj}.{vmin}", snaplen=snap, linktype=lt,
               linktype_name=LINKTYPES.get(lt, "?"), header_bytes_20_23=data[20:24].hex())
    return hdr, pkts


def attrs(buf):
    off = 0
    while off + 4 <= len(buf):
        ln, ty = struct.unpack("<HH", buf[off:off + 4])
        if ln < 4:
            break
        yield ty & 0x3FFF, buf[off + 4:off + ln]
        off += (ln + 3) & ~3


def nlmsgs(buf):
    off = 0
    while off + 16 <= len(buf):
        ln, ty, fl, seq, pid = struct.unpack("<IHHII", buf[off:off + 16])
        if ln < 16 or off + ln > len(buf):
            break
        yield ty, fl, seq, pid, buf[off + 16:off + ln]
        off += (ln + 3) & ~3


def mac(b):
    return ":".join(f"{x:02x}" for x in b)


def sae_from_auth_body(body, tseq_status_first=True):
    """body starts at auth transaction seq (AUTH_DATA) -> (seq, status, group|None)."""
    if len(body) < 4:
        return None
    seq, status = struct.unpack("<HH", body[:4])
    grp = None
    if seq == 1 and status in (0, 76, 77, 126, 127) and len(body) >= 6:
        grp = struct.unpack("<H", body[4:6])[0]
    return seq, status, grp


def walk(path, fam_hint):
    hdr, pkts = read_pcap(path)
    res = dict(file=os.path.basename(path), size=os.path.getsize(path), packets=len(pkts))
    if hdr is None:
        return res, fam_hint
    res.update(hdr)
    fam = dict(fam_hint)
    # pass 1: learn genl family ids from CTRL_CMD_NEWFAMILY
    for _, d, _ in pkts:
        if len(d) < 16 or struct.unpack(">H", d[2:4])[0] != 824 or struct.unpack(">H", d[14:16])[0] != 16:
            continue
        for ty, fl, seq, pid, pl in nlmsgs(d[16:]):
            if ty == 0x10 and len(pl) >= 4 and pl[0] == 1:
                fid = name = None
                for at, av in attrs(pl[4:]):
                    if at == 1 and len(av) >= 2:
                        fid = struct.unpack("<H", av[:2])[0]
                    elif at == 2:
                        name = av.rstrip(b"\0").decode(errors="replace")
                if fid is not None and name:
                    fam[fid] = name
    nlid = [k for k, v in fam.items() if v == "nl80211"]
    nlid = nlid[0] if nlid else None
    hist = collections.Counter()
    proto_hist = collections.Counter()
    sae = []
    pae = 0
    t0 = pkts[0][0] if pkts else 0
    for ts, d, orig in pkts:
        if len(d) < 16:
            continue
        hatype = struct.unpack(">H", d[2:4])[0]
        proto = struct.unpack(">H", d[14:16])[0]
        if hatype != 824:
            pae += 1
            proto_hist[f"non-netlink hatype={hatype} proto=0x{proto:04x}"] += 1
            continue
        for ty, fl, seq, pid, pl in nlmsgs(d[16:]):
            if proto == 16 and ty not in (1, 2, 3, 4):
                proto_hist[f"GENERIC/{fam.get(ty, hex(ty))}"] += 1
            elif proto == 16:
                proto_hist["GENERIC/control(NLMSG_ERROR/DONE)"] += 1
            else:
                proto_hist[NLPROTO.get(proto, f"proto{proto}")] += 1
            if proto != 16 or ty != nlid or len(pl) < 4:
                continue
            cmd = pl[0]
            kind = "request" if fl & 1 else ("event" if seq == 0 else "reply")
            cname = CMDS.get(cmd, f"CMD_{cmd}").replace("NL80211_CMD_", "")
            hist[(cname, kind)] += 1
            at = dict(attrs(pl[4:]))
            for src in (ATTR_FRAME, ATTR_AUTH_DATA):
                if src not in at:
                    continue
                v = at[src]
                if src == ATTR_FRAME:
                    if len(v) < 30 or (v[0] & 0xFC) != 0xB0:
                        continue
                    alg = struct.unpack("<H", v[24:26])[0]
                    if alg != 3:
                        continue
                    info = sae_from_auth_body(v[26:])
                    da, sa = mac(v[4:10]), mac(v[10:16])
                else:
                    info = sae_from_auth_body(v)
                    da, sa = (mac(at[ATTR_MAC]) if ATTR_MAC in at else "?"), "(local)"
                if not info:
                    continue
                sseq, st, grp = info
                sae.append(dict(t=round(ts - t0, 6), cmd=cname, kind=kind,
                                attr="FRAME" if src == ATTR_FRAME else "AUTH_DATA",
                                ifindex=struct.unpack("<I", at[ATTR_IFINDEX][:4])[0] if ATTR_IFINDEX in at else None,
                                sa=sa, da=da, msg="commit" if sseq == 1 else ("confirm" if sseq == 2 else f"seq{sseq}"),
                                status=st, group=grp))
    res["nl80211_family_id"] = nlid
    res["message_protocols"] = dict(proto_hist)
    res["non_netlink_packets"] = pae
    res["nl80211_commands"] = {f"{c} [{k}]": n for (c, k), n in sorted(hist.items())}
    res["nl80211_command_names"] = sorted({c for c, _ in hist})
    res["sae_frames"] = sae
    return res, fam


def tshark_fields(path, dfilter, fields):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    if dfilter:
        cmd += ["-Y", dfilter]
    for f in fields:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return [dict(zip(fields, l.split("\t"))) for l in p.stdout.splitlines() if l.strip()]


def ival(x):
    try:
        return int(x, 0)
    except (TypeError, ValueError):
        return None


def air_walk(path):
    """Over-the-air (hwsim0, radiotap) capture: header facts + every SAE auth frame (tshark `wlan.fixed.auth.alg == 3`)
    + a frame-type histogram + all non-beacon management frames."""
    hdr, pkts = read_pcap(path)
    res = dict(file=os.path.basename(path), size=os.path.getsize(path), packets=len(pkts))
    if hdr is None:
        return res
    res.update(hdr)
    hist = collections.Counter()
    for r in tshark_fields(path, "", ["wlan.fc.type_subtype"]):
        st = ival(r.get("wlan.fc.type_subtype"))
        hist[SUBTYPES.get(st, f"subtype 0x{st:02x}" if st is not None else "?")] += 1
    res["frame_types"] = dict(hist.most_common())
    sae = []
    for r in tshark_fields(path, "wlan.fixed.auth.alg == 3", AIR_FIELDS):
        seq = ival(r["wlan.fixed.auth_seq"])
        sae.append(dict(frame=ival(r["frame.number"]), t=round(float(r["frame.time_relative"] or 0), 6), sa=r["wlan.sa"],
                        da=r["wlan.da"], msg="commit" if seq == 1 else ("confirm" if seq == 2 else f"seq{seq}"),
                        status=ival(r["wlan.fixed.status_code"]), group=ival(r["wlan.fixed.finite_cyclic_group"]),
                        token=bool(r["wlan.fixed.anti_clogging_token"])))
    res["sae_filter"] = "wlan.fixed.auth.alg == 3"
    res["sae_frames"] = sae
    mg = []
    for r in tshark_fields(path, "wlan.fc.type == 0 && wlan.fc.type_subtype != 8", AIR_FIELDS):
        st = ival(r["wlan.fc.type_subtype"])
        mg.append(dict(frame=ival(r["frame.number"]), t=round(float(r["frame.time_relative"] or 0), 6),
                       type=SUBTYPES.get(st, hex(st) if st is not None else "?"), sa=r["wlan.sa"], da=r["wlan.da"],
                       auth_alg=ival(r["wlan.fixed.auth.alg"]), auth_seq=ival(r["wlan.fixed.auth_seq"]),
                       status=ival(r["wlan.fixed.status_code"]), reason=ival(r["wlan.fixed.reason_code"]),
                       pmkid=r["wlan.pmkid.akms"] or None,
                       protected=r["wlan.fc.protected"] in ("1", "True", "true")))
    res["mgmt_frames_no_beacons"] = mg
    res["eapol_frames"] = len(tshark_fields(path, "eapol", ["frame.number"]))
    return res


def run(cmd, out, timeout=600):
    with open(out, "w") as f:
        try:
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=timeout)
            return p.returncode
        except subprocess.TimeoutExpired:
            f.write("\n[timeout]\n")
            return "timeout"


def grepcount(path, pats):
    try:
        txt = open(path, errors="replace").read()
    except FileNotFoundError:
        return {}
    return {p: len(re.findall(p, txt)) for p in pats}


def grep_lines(path, pat, maxn=40):
    try:
        return [l.rstrip() for l in open(path, errors="replace") if re.search(pat, l)][:maxn]
    except FileNotFoundError:
        return []


def process(scen):
    src, dst = f"{RAW}/{scen}", f"{CAP}/{scen}"
    if not os.path.isdir(src):
        print(f"{scen}: no raw output"); return None
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    for f in ("iwmon.pcap", "nlmon.pcap", "air.pcap", "hostapd.log", "client.log", "hostapd.conf", "client.conf",
              "client-main.conf", "result.txt", "guest.log", "iw-dev.txt", "client-status.txt",
              "client-pmksa-before-reconnect.txt", "client-scan-results.txt", "relay.log"):
        if os.path.exists(f"{src}/{f}"):
            shutil.copy(f"{src}/{f}", f"{dst}/{f}")
    result = dict(l.rstrip("\n").split("=", 1) for l in open(f"{src}/result.txt") if "=" in l) \
        if os.path.exists(f"{src}/result.txt") else {}
    rcs = {}
    if os.path.exists(f"{dst}/iwmon.pcap"):
        rcs["iwmon -r iwmon.pcap"] = run(["iwmon", "-r", f"{dst}/iwmon.pcap"], f"{dst}/iwmon.txt")
        rcs["iwmon -a iwmon.pcap"] = run(["iwmon", "-a", f"{dst}/iwmon.pcap"], f"{dst}/iwmon-analyze.txt")
        rcs["tshark -V iwmon.pcap"] = run(["tshark", "-r", f"{dst}/iwmon.pcap", "-V"], f"{dst}/iwmon.tshark.txt")
    if os.path.exists(f"{dst}/nlmon.pcap"):
        rcs["iwmon -r nlmon.pcap"] = run(["iwmon", "-r", f"{dst}/nlmon.pcap"], f"{dst}/nlmon.iwmon.txt")
        rcs["tshark -V nlmon.pcap"] = run(["tshark", "-r", f"{dst}/nlmon.pcap", "-V"], f"{dst}/tshark.txt")
    capinfos = {}
    fam = {}
    walks = {}
    for f in ("nlmon.pcap", "iwmon.pcap"):  # nlmon first: it always holds CTRL_CMD_NEWFAMILY for nl80211
        p = f"{dst}/{f}"
        if not os.path.exists(p):
            continue
        run(["capinfos", p], f"{dst}/{f}.capinfos.txt")
        capinfos[f] = open(f"{dst}/{f}.capinfos.txt").read()
        walks[f], fam = walk(p, fam)
    air = None
    if os.path.exists(f"{dst}/air.pcap"):
        rcs["tshark -V air.pcap"] = run(["tshark", "-r", f"{dst}/air.pcap", "-V"], f"{dst}/air.tshark.txt")
        run(["capinfos", f"{dst}/air.pcap"], f"{dst}/air.pcap.capinfos.txt")
        capinfos["air.pcap"] = open(f"{dst}/air.pcap.capinfos.txt").read()
        air = air_walk(f"{dst}/air.pcap")
    iw_counts = grepcount(f"{dst}/iwmon.txt", [r"Authenticat", r"SAE", r"Request: Frame \(", r"Event: Frame \(",
                                              r"Connect", r"Request: Authenticate", r"Event: Authenticate",
                                              r"Associate", r"Control Port Frame", r"External Auth"])
    summary = dict(scenario=scen, result=result, decoders_rc=rcs, files=walks, air=air, iwmon_txt_grep=iw_counts)
    json.dump(summary, open(f"{dst}/summary.json", "w"), indent=1)
    write_readme(dst, scen, summary, capinfos)
    return summary


DESCR = {
    "iwd-sae-ok": "iwd client (autoconnect from lab-sae.psk) joins the hostapd WPA3-SAE AP with the correct password.",
    "iwd-sae-wrongpass": "iwd client with a WRONG password: SAE commit exchange completes, confirm verification fails at the AP, iwd retries.",
    "wpas-sae-ok": "wpa_supplicant client (key_mgmt=SAE, ieee80211w=2) joins the AP with the correct password.",
    "wpas-sae-wrongpass": "wpa_supplicant client with a WRONG password (SAE confirm mismatch, retries).",
    "wpas-sae-h2e": "SAE hash-to-element only: hostapd sae_pwe=1, wpa_supplicant sae_pwe=1.",
    "iwd-sae-h2e": "SAE hash-to-element only on the AP (hostapd sae_pwe=1); iwd client (iwd picks H2E from the RSNXE).",
    "wpas-sae-group20": "ECC group 20 (P-384): hostapd sae_groups=20, wpa_supplicant sae_groups=20.",
    "iwd-sae-group20": "AP only allows group 20 (hostapd sae_groups=20); iwd starts with its default group and must fall back (status 77) to 20.",
    "wpas-sae-group21": "ECC group 21 (P-521): hostapd sae_groups=21, wpa_supplicant sae_groups=21.",
    "wpas-sae-anticlog": "Anti-clogging: hostapd sae_anti_clogging_threshold=0, so the first commit is answered with status 76 + token.",
    "iwd-sae-anticlog": "Anti-clogging with iwd: hostapd sae_anti_clogging_threshold=0.",
    "wpas-sae-pmksa-reconnect": "wpa_supplicant connects with SAE, then `wpa_cli disconnect` + `wpa_cli reconnect`: the reconnect should use the PMKSA cache (Open System auth + PMKID in the Association Request, no new SAE exchange).",
    "wpas-sae-h2e-mismatch": "FAILURE: PWE mismatch, hostapd sae_pwe=1 (hash-to-element only; beacons carry the H2E-only BSS membership selector and the RSNXE H2E bit) while wpa_supplicant has sae_pwe=0 (hunting-and-pecking only). Expected: no connection - either the AP rejects a hunting-and-pecking commit or the client refuses the BSS before sending anything.",
    "wpas-sae-h2e-mismatch-rev": "FAILURE: reverse PWE mismatch, hostapd sae_pwe=0 (hunting-and-pecking only, no RSNXE H2E bit) while wpa_supplicant has sae_pwe=1 (H2E only). Expected: no connection - the client cannot use H2E with this AP.",
    "wpas-sae-h2e-mismatch-hnp": "FAILURE: PWE mismatch with wpa_supplicant's test-only value sae_pwe=3 (force hunting-and-pecking, ignores the AP's H2E-only selector) against hostapd sae_pwe=1 (H2E only). Expected: the client sends a hunting-and-pecking commit (status 0) on the air and the H2E-only AP does not accept it.",
    "wpas-sae-group-mismatch": "FAILURE: group mismatch, hostapd sae_groups=21 (P-521 only), wpa_supplicant sae_groups=19 (P-256 only). Expected: the AP answers the group-19 commit with status 77 (UNSUPPORTED_FINITE_CYCLIC_GROUP); the client has no other group to offer and cannot complete.",
    "iwd-sae-group-mismatch": "FAILURE: group mismatch with iwd, hostapd sae_groups=21; iwd 2.3 offers only groups 20 and 19 by default. Expected: status 77 for group 20, then status 77 for group 19, then iwd gives up on that attempt.",
    "wpas-sae-pmksa-stale": "Stale PMKSA: wpa_supplicant connects with SAE, `wpa_cli disconnect`, hostapd is stopped (SIGINT, by PID) and started again (so the AP's PMKSA cache is empty) while the client keeps its PMKSA entry (`client-pmksa-before-reconnect.txt`), then `wpa_cli reconnect`. Expected: Open System auth + Association Request with the old PMKID, Association Response status 53 (INVALID_PMKID), the client drops the entry and does a fresh SAE exchange, then connects.",
    "wpas-sae-pwid-mismatch": "FAILURE: SAE password identifier mismatch. hostapd `sae_password=...|id=alice` (sae_pwe=2), wpa_supplicant `sae_password_id=\"bob\"` (sae_pwe=2; a password identifier needs H2E). Expected: the AP rejects the commit with status 123 (UNKNOWN_PASSWORD_IDENTIFIER); wpa_supplicant retries.",
    "wpas-sae-mfp-off": "FAILURE: the AP requires MFP (ieee80211w=2), the wpa_supplicant network has ieee80211w=0. Expected: the client skips the BSS and never authenticates.",
    "wpas-sae-no-peer-confirm": "FAILURE: relay.py withholds every SAE confirm the station sends at hostapd (ext_mgmt_frame_handling). Expected: commits exchanged, the station's confirm goes out, the AP never confirms (it may retransmit its commit); the station times out and retries.",
    "iwd-sae-no-peer-confirm": "FAILURE: as wpas-sae-no-peer-confirm with iwd 2.3.",
    "wpas-sae-no-peer-commit": "FAILURE: relay.py withholds every SAE commit the station sends at hostapd; the AP keeps beaconing. Expected: commits ACKed on the air, never answered; authentication timeout, retries.",
    "iwd-sae-no-peer-commit": "FAILURE: as wpas-sae-no-peer-commit with iwd 2.3.",
    "wpas-sae-assoc-timeout": "FAILURE: relay.py withholds every (Re)Association Request at hostapd. Expected: SAE completes, the association request is never answered, association timeout.",
    "iwd-sae-assoc-timeout": "FAILURE: as wpas-sae-assoc-timeout with iwd 2.3.",
    "wpas-sae-4way-no-m1": "FAILURE: relay.py withholds every EAPOL frame message 1/4 hostapd transmits (ext_eapol_frame_io). Expected: SAE and association succeed, the station never gets message 1, hostapd retries and deauthenticates (reason 15).",
    "wpas-sae-4way-no-m3": "FAILURE: relay.py passes message 1/4 on (EAPOL_TX) and withholds every message 3/4. Expected: the station sends message 2, never gets message 3; hostapd retries and deauthenticates (reason 15).",
    "iwd-sae-4way-no-m1": "FAILURE: as wpas-sae-4way-no-m1 with iwd 2.3.",
    "wpas-sae-wrongpass-then-right": "wpa_supplicant starts with a WRONG password; after two CTRL-EVENT-AUTH-REJECT the guest sets the right one (`wpa_cli set_network 0 sae_password` + `reassociate`). Expected: failed attempts, then a connection, in one file.",
    "wpas-sae-deauth-reconnect": "wpa_supplicant connects, then `hostapd_cli deauthenticate <sta>`; expected: disconnect (reason 2 from the AP), then the client reconnects by itself.",
    "iwd-sae-deauth-reconnect": "iwd connects, then `hostapd_cli deauthenticate <sta>`; expected: disconnect, then iwd reconnects by itself.",
    "wpas-sae-no-ap": "FAILURE: AP goes silent during SAE. The network is configured `disabled=1`; the client scans (`wpa_cli scan`, BSS found, `client-scan-results.txt`), hostapd is frozen with SIGSTOP (by PID), `wpa_cli select_network 0` makes the client send its SAE commit from the fresh scan result, and ~0.3 s after the client logged the CMD_AUTHENTICATE request hostapd is SIGKILLed. Expected: commit sent (ACKed by the simulated radio), no SAE reply, authentication timeout on the client.",
}


def write_readme(dst, scen, s, capinfos):
    r = s["result"]
    L = [f"# Scenario `{scen}`", "", DESCR.get(scen, ""), ""]
    L += ["## Outcome", "", f"- expected: **{r.get('expected','?')}**", f"- observed: **{r.get('outcome','?')}** "
          "(success criterion: hostapd logged `AP-STA-CONNECTED`, i.e. SAE + association + 4-way handshake done)"]
    if s.get("air"):
        w = s["air"]
        def fmt(sa_is_ap):
            c = collections.Counter(f"{x['msg']}(status {x['status']}{', group ' + str(x['group']) if x['group'] else ''})"
                                    for x in w["sae_frames"] if (x["sa"] == "02:00:00:00:00:00") == sa_is_ap)
            return ", ".join(f"{k} x{v}" for k, v in c.items()) or "none"
        mg = w["mgmt_frames_no_beacons"]
        assoc = [x["status"] for x in mg if x["type"] in ("Assoc Resp", "Reassoc Resp")]
        openauth = [x["status"] for x in mg if x["type"] == "Authentication" and x["auth_alg"] == 0 and x["auth_seq"] == 2]
        deauth = [f"{x['sa']}->{x['da']} reason {'(protected frame)' if x.get('protected') and x['reason'] is None else x['reason']}" for x in mg if x["type"] in ("Deauthentication", "Disassoc")]
        L += [f"- on the air (air.pcap): client SAE frames: {fmt(False)}; AP SAE frames: {fmt(True)}",
              f"- on the air: Open System auth responses status {openauth or 'none'}; (Re)Association Responses status {assoc or 'none'}; "
              f"EAPOL frames {w['eapol_frames']}; deauth/disassoc: {'; '.join(deauth) or 'none'}"]
    L += [""]
    L += ["## Software (inside the VM)", "",
          f"- kernel: `{r.get('guest_kernel_full','?')}` (Debian linux-image-amd64, stock mac80211_hwsim radios=2, nlmon)",
          f"- {r.get('hostapd_version','?')} (Debian 2:2.10-12+deb12u3)",
          f"- {r.get('wpa_supplicant_version','?')} (Debian 2:2.10-12+deb12u3)",
          f"- iwd / iwmon {r.get('iwd_version','?')} (Debian 2.3-1+deb12u1)",
          f"- {r.get('tcpdump_version','?')}, tshark 4.0.17 (host, for the text decode)",
          f"- interfaces: {r.get('ap_iface','?')}".replace(" client_iface=", " (AP, phy0, 02:00:00:00:00:00), client: ") + " (phy1, 02:00:00:00:01:00)",
          ""]
    L += ["## Configuration (test secrets, not real ones)", "", "hostapd.conf:", "```"]
    L += [open(f"{dst}/hostapd.conf").read().rstrip(), "```", ""]
    if os.path.exists(f"{dst}/client-main.conf"):
        L += ["iwd main.conf (via CONFIGURATION_DIRECTORY):", "```", open(f"{dst}/client-main.conf").read().rstrip(), "```",
              "iwd network file lab-sae.psk (via STATE_DIRECTORY):", "```", open(f"{dst}/client.conf").read().rstrip(), "```",
              "iwd started as `/usr/libexec/iwd -d -p phy1 -i wlan1` with IWD_SAE_DEBUG=1, plus `dbus-daemon --system`.", ""]
    elif os.path.exists(f"{dst}/client.conf"):
        L += ["wpa_supplicant.conf (`wpa_supplicant -dd -t -D nl80211 -i wlan1 -c ...`):", "```",
              open(f"{dst}/client.conf").read().rstrip(), "```", ""]
    L += ["## Capture method", "",
          "- `nlmon.pcap`: `ip link add nlmon0 type nlmon; tcpdump -i nlmon0 -U -s 0 -w nlmon.pcap` (all netlink, both daemons + iwmon/iw helpers)",
          "- `iwmon.pcap`: `iwmon -w iwmon.pcap` (iwmon creates its own nlmon device `nlmon`; runs independently of iwd)",
          "- `air.pcap`: `ip link set hwsim0 up; tcpdump -i hwsim0 -U -s 0 -w air.pcap` - mac80211_hwsim's monitor netdev, every frame on the "
          "simulated medium (beacons, probes, auth/assoc, EAPOL, ACKs) with a radiotap header (linktype 127)",
          "- all three started ~2 s before hostapd, stopped ~2 s after the outcome (or after the timeout for failure cases);",
          "  the AP's own nl80211 traffic (START_AP, REGISTER_FRAME, FRAME tx/rx, NEW_STATION, NEW_KEY ...) is in the same files.", ""]
    L += ["## Files", "", "| file | size (bytes) | linktype (hdr bytes 20..23) | packets | nl80211 family id |", "|---|---|---|---|---|"]
    for f, w in s["files"].items():
        L.append(f"| {f} | {w['size']} | {w.get('linktype')} {w.get('linktype_name')} (`{w.get('header_bytes_20_23')}`) | {w['packets']} | {w.get('nl80211_family_id')} |")
    if s.get("air"):
        w = s["air"]
        L.append(f"| air.pcap | {w['size']} | {w.get('linktype')} {w.get('linktype_name')} (`{w.get('header_bytes_20_23')}`) | {w['packets']} | - (802.11 frames) |")
    L += ["", "Text decodes: `iwmon.txt` (= `iwmon -r iwmon.pcap`), `iwmon-analyze.txt` (`iwmon -a`), "
          "`nlmon.iwmon.txt` (`iwmon -r nlmon.pcap`), `tshark.txt` (`tshark -V -r nlmon.pcap`), `iwmon.tshark.txt` (`tshark -V -r iwmon.pcap`), "
          "`air.tshark.txt` (`tshark -V -r air.pcap`), `*.capinfos.txt`, `summary.json` (machine-readable facts below).", ""]
    L += ["Decoder exit codes: " + ", ".join(f"`{k}` -> {v}" for k, v in s["decoders_rc"].items()), ""]
    if os.path.exists(f"{dst}/nlmon.iwmon.txt"):
        t = open(f"{dst}/nlmon.iwmon.txt", errors="replace").read().strip().splitlines()
        L += ["`iwmon -r nlmon.pcap` (linktype 253) says: `" + " / ".join(t[:3]) + "`", ""]
    L += ["## SAE authentication frames seen in the nl80211 traffic", "",
          "(independent walk of the pcap: NL80211_ATTR_FRAME with an 802.11 Authentication frame, algorithm 3 = SAE, "
          "or NL80211_ATTR_AUTH_DATA in NL80211_CMD_AUTHENTICATE; t = seconds since first packet of that file)", ""]
    for f, w in s["files"].items():
        L += [f"### {f}", "", "| t | cmd | kind | attr | ifindex | SA | DA | msg | status | group |", "|---|---|---|---|---|---|---|---|---|---|"]
        for x in w.get("sae_frames", []):
            L.append(f"| {x['t']} | {x['cmd']} | {x['kind']} | {x['attr']} | {x['ifindex']} | {x['sa']} | {x['da']} | {x['msg']} | {x['status']} | {x['group']} |")
        L.append("")
    if s.get("air"):
        w = s["air"]
        c = collections.Counter(x["msg"] for x in w["sae_frames"])
        L += ["## Over-the-air frames (air.pcap, hwsim0 radiotap monitor)", "",
              f"SAE authentication frames (tshark `{w['sae_filter']}`): **{len(w['sae_frames'])}** "
              f"(commit {c.get('commit',0)}, confirm {c.get('confirm',0)}); EAPOL frames: {w['eapol_frames']}", "",
              "frame types: " + ", ".join(f"{k}={v}" for k, v in w["frame_types"].items()), "",
              "| frame | t | SA | DA | msg | status | group | anti-clogging token |", "|---|---|---|---|---|---|---|---|"]
        for x in w["sae_frames"]:
            L.append(f"| {x['frame']} | {x['t']} | {x['sa']} | {x['da']} | {x['msg']} | {x['status']} | {x['group']} | {'yes' if x['token'] else ''} |")
        L += ["", "All management frames except beacons (first 80):", "",
              "| frame | t | type | SA | DA | auth alg/seq | status | reason | PMKID |", "|---|---|---|---|---|---|---|---|---|"]
        for x in w["mgmt_frames_no_beacons"][:80]:
            aa = f"{x['auth_alg']}/{x['auth_seq']}" if x["auth_alg"] is not None else ""
            L.append(f"| {x['frame']} | {x['t']} | {x['type']} | {x['sa']} | {x['da']} | {aa} | "
                     f"{'' if x['status'] is None else x['status']} | {('(protected)' if x.get('protected') else '') if x['reason'] is None else x['reason']} | {x['pmkid'] or ''} |")
        L.append("")
    L += ["## nl80211 commands present (name [request|reply|event] : count)", ""]
    for f, w in s["files"].items():
        L += [f"### {f}", "", "```"] + [f"{k}: {v}" for k, v in w.get("nl80211_commands", {}).items()] + ["```",
              "netlink message families: " + ", ".join(f"{k}={v}" for k, v in w.get("message_protocols", {}).items()), ""]
    L += ["## grep counts in iwmon.txt", "", "```"] + [f"{k!r}: {v}" for k, v in s["iwmon_txt_grep"].items()] + ["```", ""]
    L += ["## Log highlights", "", "hostapd.log:", "```"]
    L += grep_lines(f"{dst}/hostapd.log", r"AP-ENABLED|AP-STA-|SAE: (State|Peer|Unsupported|Unexpected|Anti|Confirm|.*mismatch|.*H2E|.*group|No PMKSA)|sae_|EAPOL-4WAY-HS|authentication|PMKSA|guest:", 40)
    L += ["```", "", "client.log:", "```"]
    L += grep_lines(f"{dst}/client.log", r"CTRL-EVENT|SAE: (Selecting|Use|Try|.*group|.*H2E|.*hash|.*confirm|.*PMKSA)|PMKSA|sae_|Authentication|station_|Connected|connect|Failed|failed|rejected|auth", 40)
    L += ["```", "", "client.log, failure/timeout/PMKSA-related lines:", "```"]
    L += grep_lines(f"{dst}/client.log", r"skip - |SAE H2E|H2E disabled|status_code=|timed out|Authentication timeout|PMKSA cache entry found - try|PMKSA caching attempt|PMKID (mismatch|invalid)|[Ii]nvalid PMKID|No more|[Uu]nsupported (group|finite)|SAE:.*[Gg]roup|[Rr]eject|result: |AUTH-REJECT|ASSOC-REJECT|TEMP-DISABLED|giving up", 40)
    L += ["```", ""]
    open(f"{dst}/README.md", "w").write("\n".join(L))


def main():
    scens = sys.argv[1:] or sorted(d for d in os.listdir(RAW) if os.path.isdir(f"{RAW}/{d}"))
    os.makedirs(CAP, exist_ok=True)
    for sc in scens:
        s = process(sc)
        if s:
            print(sc, s["result"].get("outcome"), {f: (w["size"], w.get("linktype"), w["packets"], len(w["sae_frames"])) for f, w in s["files"].items()},
                  "air:", (s["air"]["packets"], len(s["air"]["sae_frames"])) if s.get("air") else None)
    # global index over everything in captures/
    rows = []
    for sc in sorted(os.listdir(CAP)):
        p = f"{CAP}/{sc}/summary.json"
        if os.path.exists(p):
            rows.append(json.load(open(p)))
    L = ["# Capture index", "", "| scenario | expected | outcome | file | bytes | linktype | packets | SAE frames (commit/confirm) |", "|---|---|---|---|---|---|---|---|"]
    for s in rows:
        for f, w in s["files"].items():
            c = collections.Counter(x["msg"] for x in w["sae_frames"])
            L.append(f"| {s['scenario']} | {s['result'].get('expected')} | {s['result'].get('outcome')} | {f} | {w['size']} | {w.get('linktype')} | {w['packets']} | {c.get('commit',0)}/{c.get('confirm',0)} |")
        w = s.get("air")
        if w:
            c = collections.Counter(x["msg"] for x in w["sae_frames"])
            L.append(f"| {s['scenario']} | {s['result'].get('expected')} | {s['result'].get('outcome')} | air.pcap | {w['size']} | {w.get('linktype')} | {w['packets']} | {c.get('commit',0)}/{c.get('confirm',0)} |")
        else:
            L.append(f"| {s['scenario']} | | | air.pcap | MISSING | | | |")
    open(f"{CAP}/INDEX.md", "w").write("\n".join(L) + "\n")
    json.dump(rows, open(f"{CAP}/index.json", "w"), indent=1)


if __name__ == "__main__":
    main()
