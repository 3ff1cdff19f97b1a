#!/usr/bin/env python3
"""Frame relay for the capture lab: withholds chosen frames at hostapd, never forges one.

Runs inside the VM next to hostapd (2.10, CONFIG_TESTING_OPTIONS as Debian builds it) and uses two of its testing
controls over the control interface:

  SET ext_mgmt_frame_handling 1   every management frame hostapd receives is handed to us as `MGMT-RX <hex>`
                                  instead of being processed; we pass it on unchanged with
                                  `MGMT_RX_PROCESS freq=<f> datarate=0 ssi_signal=-30 frame=<hex>` or withhold it.
  SET ext_eapol_frame_io 1        every EAPOL frame hostapd would transmit is handed to us as `EAPOL-TX <addr> <hex>`;
                                  we transmit it unchanged with `EAPOL_TX <addr> <hex>` or withhold it.
                                  (hostapd 2.10 has no receive-side interception: a station's EAPOL frame can not be
                                  withheld here.)

usage: relay.py <hostapd-ctrl-socket> [--log FILE] [--freq MHz] [--drop KIND[:N]]...
  KIND (frames from the station to the AP unless said otherwise):
    auth-commit   SAE Authentication, transaction 1      auth-confirm  SAE Authentication, transaction 2
    auth-open     Open System Authentication              assoc-req     (Re)Association Request
    deauth        Deauthentication / Disassociation       probe-req     Probe Request
    eapol-m1      the AP's EAPOL-Key message 1 (ACK, no MIC)     eapol-m3  the AP's message 3 (ACK + MIC)
    eapol-all     every EAPOL frame the AP sends
  :N withholds only the first N matching frames (default: all of them).
Every decision is logged with a timestamp (relay.log in the capture folder).
"""
import os, socket, sys, time

ctrl = sys.argv[1]
args = sys.argv[2:]
logf, freq, drops = None, 2412, {}
i = 0
while i < len(args):
    if args[i] == "--log":
        logf = open(args[i + 1], "a", buffering=1); i += 2
    elif args[i] == "--freq":
        freq = int(args[i + 1]); i += 2
    elif args[i] == "--drop":
        k, _, n = args[i + 1].partition(":")
        drops[k] = int(n) if n else -1; i += 2
    else:
        sys.exit(f"relay: unknown argument {args[i]}")


def log(msg):
    line = time.strftime("%H:%M:%S.") + f"{time.time() % 1:.6f}"[2:] + " relay: " + msg
    (logf or sys.stdout).write(line + "\n")
    if logf is None:
        sys.stdout.flush()


def sock(tag):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    local = f"/tmp/relay-{os.getpid()}-{tag}"
    try:
        os.unlink(local)
    except FileNotFoundError:
        pass
    s.bind(local)
    s.connect(ctrl)
    return s


cmd_s = sock("cmd")


def command(c):
    cmd_s.send(c.encode())
    cmd_s.settimeout(5)
    r = cmd_s.recv(65536).decode(errors="replace").strip()
    return r


def mgmt_kind(fr):
    fc = fr[0]
    ftype, sub = (fc >> 2) & 3, (fc >> 4) & 15
    if ftype != 0:
        return None, ""
    if sub in (0, 2):
        return "assoc-req", "Reassociation Request" if sub == 2 else "Association Request"
    if sub == 4:
        return "probe-req", "Probe Request"
    if sub in (10, 12):
        return "deauth", "Disassociation" if sub == 10 else "Deauthentication"
    if sub == 11 and len(fr) >= 30:
        alg, seq, st = (int.from_bytes(fr[o:o + 2], "little") for o in (24, 26, 28))
        if alg == 3:
            return ("auth-commit" if seq == 1 else "auth-confirm"), f"SAE Authentication seq {seq} status {st}"
        if alg == 0:
            return "auth-open", f"Open System Authentication seq {seq} status {st}"
        return f"auth-alg{alg}", f"Authentication alg {alg} seq {seq}"
    return f"mgmt-sub{sub}", f"management subtype {sub}"


def eapol_kind(fr):
    # EAPOL header: version, type (3 = Key), length; Key descriptor: type (1 byte), key info (2 bytes, big endian)
    if len(fr) < 7 or fr[1] != 3:
        return "eapol-other", "EAPOL (not a Key frame)"
    ki = int.from_bytes(fr[5:7], "big")
    ack, mic, inst = bool(ki & 0x80), bool(ki & 0x100), bool(ki & 0x40)
    if ack and not mic:
        return "eapol-m1", "EAPOL-Key message 1/4"
    if ack and mic and inst:
        return "eapol-m3", "EAPOL-Key message 3/4"
    if ack and mic:
        return "eapol-group", "EAPOL-Key group message 1/2"
    return "eapol-other", f"EAPOL-Key key_info 0x{ki:04x}"


def withhold(kind):
    for k in (kind, "eapol-all" if kind.startswith("eapol") else None):
        if k in drops and drops[k] != 0:
            if drops[k] > 0:
                drops[k] -= 1
            return True
    return False


def main():
    # only the interceptions a rule needs: an untouched path stays hostapd's own
    want = []
    if any(not k.startswith("eapol") for k in drops):
        want.append("SET ext_mgmt_frame_handling 1")
    if any(k.startswith("eapol") for k in drops):
        want.append("SET ext_eapol_frame_io 1")
    for c in want:
        log(f"{c} -> {command(c)}")
    ev = sock("ev")
    ev.send(b"ATTACH")
    log(f"ATTACH -> {ev.recv(4096).decode().strip()}; withholding {drops or 'nothing'}")
    ev.settimeout(None)
    stats = {}
    while True:
        m = ev.recv(65536).decode(errors="replace").strip()
        if m.startswith("<") and ">" in m:
            m = m.split(">", 1)[1]
        if m.startswith("MGMT-RX "):
            hx = m.split()[1]
            fr = bytes.fromhex(hx)
            kind, what = mgmt_kind(fr)
            sa = ":".join(f"{b:02x}" for b in fr[10:16])
            if kind and withhold(kind):
                log(f"WITHHELD {what} from {sa} ({len(fr)} bytes)")
                stats[kind + " withheld"] = stats.get(kind + " withheld", 0) + 1
            else:
                r = command(f"MGMT_RX_PROCESS freq={freq} datarate=0 ssi_signal=-30 frame={hx}")
                if kind != "probe-req":
                    log(f"passed {what} from {sa} -> {r}")
        elif m.startswith("EAPOL-TX "):
            _, addr, hx = m.split()[:3]
            kind, what = eapol_kind(bytes.fromhex(hx))
            if withhold(kind):
                log(f"WITHHELD {what} to {addr}")
            else:
                log(f"sent {what} to {addr} -> {command(f'EAPOL_TX {addr} {hx}')}")


try:
    main()
except KeyboardInterrupt:
    pass
