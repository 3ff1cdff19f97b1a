#!/usr/bin/env python3
"""Copy one post-processed lab run into the repository's capture corpus.

usage: ship.py <run-folder> <captures/<scenario> folder>
  <run-folder> is $LAB_OUT/captures/<scenario> (run-lab.sh) or $LAB_OUT/fmac/captures/<scenario> (fmac/run-fmac.sh).

What is shipped: nlmon.pcap, iwmon.pcap, air.pcap, the daemons' logs (client.log, hostapd.log; gzip -9 as
*.log.gz when over 200 KB), fmac-kernel.log / fmac-params.txt (fmac lab), relay.log (frames withheld by relay.py),
the configs, result.txt, the guest's helper outputs (client-status.txt ...) and iwmon.txt.gz (iwmon's own decode
of iwmon.pcap, made by the post-processing: iwmon 2.3 for hwsim, 3.8 for fmac).  The guest's scratch directory
is replaced by `<tmp>` in every text file.  No tshark text dumps.

README.md: the hand-written `## Ground truth` section of the folder's existing README.md is kept (a placeholder
if there is none yet), followed by the generated sections of the run's README.md.  truth.json is never touched.
"""
import gzip, os, re, shutil, sys

SCRATCH = re.compile(r"/tmp/run|/run/fmac-lab")
PCAPS = ("nlmon.pcap", "iwmon.pcap", "air.pcap")
LOGS = ("client.log", "hostapd.log")
TEXT = ("fmac-kernel.log", "fmac-params.txt", "relay.log", "guest.log", "hostapd.conf", "client.conf", "client-main.conf",
        "result.txt", "client-status.txt", "client-pmksa-before-reconnect.txt", "client-scan-results.txt")
BIG = 200 * 1024


def clean(txt):
    return SCRATCH.sub("<tmp>", txt)


def ground_truth(readme):
    if not os.path.exists(readme):
        return None
    t = open(readme).read()
    m = re.search(r"^## Ground truth[^\n]*\n.*?(?=^## |\Z)", t, re.S | re.M)
    return m.group(0).rstrip() + "\n" if m else None


def main(src, dst):
    if not os.path.exists(f"{src}/result.txt"):
        sys.exit(f"ship.py: {src} is not a post-processed run (no result.txt)")
    os.makedirs(dst, exist_ok=True)
    for f in PCAPS:
        if os.path.exists(f"{src}/{f}"):
            shutil.copyfile(f"{src}/{f}", f"{dst}/{f}")
    for f in LOGS:
        p = f"{src}/{f}"
        if not os.path.exists(p):
            continue
        txt = clean(open(p, errors="replace").read())
        for old in (f"{dst}/{f}", f"{dst}/{f}.gz"):
            if os.path.exists(old):
                os.remove(old)
        if len(txt.encode()) > BIG:
            with open(f"{dst}/{f}.gz", "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as g:
                g.write(txt.encode())
        else:
            open(f"{dst}/{f}", "w").write(txt)
    for f in TEXT:
        if os.path.exists(f"{src}/{f}"):
            open(f"{dst}/{f}", "w").write(clean(open(f"{src}/{f}", errors="replace").read()))
    if os.path.exists(f"{src}/iwmon.txt"):
        with open(f"{src}/iwmon.txt", "rb") as i, open(f"{dst}/iwmon.txt.gz", "wb") as raw, \
                gzip.GzipFile("", "wb", 9, raw, mtime=0) as g:
            shutil.copyfileobj(i, g)
    src_gt = ground_truth(f"{src}/README.md")
    if src_gt and "not written yet" in src_gt:
        src_gt = None
    gt = ground_truth(f"{dst}/README.md") or src_gt or (
        "## Ground truth\n\n(not written yet: write it by hand from client.log, hostapd.log, fmac-kernel.log and "
        "air.pcap, attempt by attempt, and the same facts in truth.json, see ../TRUTH.md)\n")
    gen = clean(open(f"{src}/README.md").read()) if os.path.exists(f"{src}/README.md") else ""
    title, _, body = gen.partition("\n")
    # the fmac post-processing puts its own ground-truth placeholder first: drop it
    body = re.sub(r"^\s*## Ground truth[^\n]*\n.*?(?=^## |\Z)", "", body, flags=re.S | re.M)
    scen = os.path.basename(os.path.normpath(dst))
    shipped = sorted(f for f in os.listdir(dst) if f not in ("README.md",))
    L = [title or f"# Scenario `{scen}`", "", gt.rstrip(), "",
         "## Files in this folder", "",
         "Shipped: " + ", ".join(f"`{f}`" for f in shipped) + ". `iwmon.txt.gz` is iwmon's own text decode of "
         "`iwmon.pcap`; the other text decodes named below (tshark.txt, air.tshark.txt, ...) are made by the lab's "
         "post-processing and not kept here. Rebuild this run: see `../../lab/README.md`.", ""]
    open(f"{dst}/README.md", "w").write("\n".join(L) + "\n## Run\n\n" + body.lstrip("\n"))
    print(f"shipped {src} -> {dst}: " + " ".join(f"{f}={os.path.getsize(f'{dst}/{f}')}" for f in sorted(os.listdir(dst))))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
