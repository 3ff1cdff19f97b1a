#!/usr/bin/env python3
"""Rebuild captures/INDEX.md (every real capture folder with its truth) and keep captures/index.json in step.

usage: index.py [--summary <summary.json>...]
  --summary: the post-processing's summary.json of runs being shipped (hwsim: $LAB_OUT/captures/<s>/summary.json,
             fmac: $LAB_OUT/fmac/captures/<s>/summary.json); each replaces or adds that scenario's entry in
             captures/index.json (the facts the post-processing read from the pcaps, tshark's view of air.pcap
             included). The guest's scratch directory is written as <tmp>.
INDEX.md is written from each folder's truth.json and result.txt only.
"""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAP = os.path.normpath(os.path.join(HERE, "..", "captures"))
SCRATCH = re.compile(r"/tmp/run|/run/fmac-lab")


def load_index():
    p = f"{CAP}/index.json"
    return json.load(open(p)) if os.path.exists(p) else []


def runs(vs):
    out = []
    for v in vs:
        if out and out[-1][0] == v:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return ", ".join(v if n == 1 else f"{v} x{n}" for v, n in out)


def main(argv):
    idx = load_index()
    if argv[:1] == ["--summary"]:
        by = {e["scenario"]: i for i, e in enumerate(idx)}
        for p in argv[1:]:
            e = json.loads(SCRATCH.sub("<tmp>", open(p).read()))
            if e["scenario"] in by:
                idx[by[e["scenario"]]] = e
            else:
                by[e["scenario"]] = len(idx)
                idx.append(e)
        idx.sort(key=lambda e: e["scenario"])
        with open(f"{CAP}/index.json", "w") as f:
            json.dump(idx, f, indent=1)
            f.write("\n")
    rows = []
    for s in sorted(os.listdir(CAP)):
        d = f"{CAP}/{s}"
        if not os.path.exists(f"{d}/truth.json"):
            continue
        t = json.load(open(f"{d}/truth.json"))
        res = dict(l.rstrip("\n").split("=", 1) for l in open(f"{d}/result.txt") if "=" in l) \
            if os.path.exists(f"{d}/result.txt") else {}
        how = []
        if res.get("knobs"):
            how.append(f"knobs `{res['knobs']}`")
        for cf, who in (("hostapd.conf", "AP"), ("client.conf", "client")):
            if os.path.exists(f"{d}/{cf}"):
                kv = [l.strip() for l in open(f"{d}/{cf}") if re.match(r"\s*(sae_pwe|sae_groups|sae_anti_clogging_threshold|sae_password_id|ieee80211w=0)", l)]
                kv += ["sae_password=...|id=" + l.split("|id=")[1].strip() for l in open(f"{d}/{cf}") if "|id=" in l]
                if kv:
                    how.append(f"{who} `{' '.join(kv)}`")
        if res.get("relay"):
            how.append(f"relay `{res['relay']}`")
        if res.get("action"):
            how.append(f"action `{res['action']}`")
        size = sum(os.path.getsize(f"{d}/{f}") for f in os.listdir(d))
        st = runs(a["verdict"] for a in t["station"])
        ap = runs(a["verdict"] for a in t.get("ap", [])) or "-"
        how = [h.replace("|", "\\|") for h in how]
        rows.append(f"| [{s}]({s}/) | {t['lab']} | {t['client']} | {'; '.join(how) or '-'} | {st} | {ap} | "
                    f"{size // 1024} |")
    L = ["# Capture index", "",
         "Real captures of the lab (`../lab/README.md` says how to rebuild each one). Verdicts are the hand-written "
         "truth of each folder (`truth.json`, format in `TRUTH.md`): station attempts in time order, then hostapd's "
         "view of each station try. `brcmfmac-external-auth/` is synthetic and not listed (see its README).", "",
         "| scenario | lab | client | settings | station verdicts | AP verdicts | KiB |", "|---|---|---|---|---|---|---|"]
    open(f"{CAP}/INDEX.md", "w").write("\n".join(L + rows) + "\n")
    print(f"INDEX.md: {len(rows)} folders; index.json: {len(idx)} entries")


if __name__ == "__main__":
    main(sys.argv[1:])
