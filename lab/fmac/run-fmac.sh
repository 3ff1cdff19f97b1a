#!/bin/bash
# run-fmac.sh <scenario>...   one fresh VM boot per scenario (raw output in $FMAC_OUT/raw/<scen>), then
#                             postprocess-fmac.py (-> $FMAC_OUT/captures/<scen>)
#   LAB_OUT     output root (default ./lab-out; venv/ is shared with ../run-lab.sh); FMAC_OUT (default $LAB_OUT/fmac)
#   POST_ONLY=1 only re-run the post-processing of raw/ -> captures/
#   NO_POST=1   only boot the VMs
#   WAIT_VMS=0  do not wait while another qemu-system process runs (default: wait, one VM at a time per host)
#   VM_TIMEOUT  seconds per VM (default 300)
#   VNG_OPTS    extra vng options (default --disable-kvm: TCG, see ../NOTES.md; set VNG_OPTS= where KVM works)
# Run setup.sh first. Paths must not contain spaces (they travel in the guest's command line).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
DEF_OUT=$(cd "$HERE/../../.." && pwd)/lab-out   # default: next to the repository, never inside it
LAB=$(mkdir -p "${LAB_OUT:-$DEF_OUT}" && cd "${LAB_OUT:-$DEF_OUT}" && pwd)
FOUT=$(mkdir -p "${FMAC_OUT:-$LAB/fmac}" && cd "${FMAC_OUT:-$LAB/fmac}" && pwd)
export PATH=${VNG_VENV:-$LAB/venv}/bin:$PATH
KVER=${KVER:-$(ls /lib/modules | grep -- '-amd64$' | sort -V | tail -1)}
[ $# -gt 0 ] || { echo "usage: run-fmac.sh <scenario>...   (see README.md)"; exit 2; }

if [ "${POST_ONLY:-0}" != 1 ]; then
  [ -f "$FOUT/module/fmac_sim.ko" ] || { echo "no $FOUT/module/fmac_sim.ko: run setup.sh (same LAB_OUT/FMAC_OUT)"; exit 1; }
  command -v vng >/dev/null || { echo "vng not found (venv ${VNG_VENV:-$LAB/venv}): run setup.sh"; exit 1; }
  mkdir -p "$FOUT/raw"
  for s in "$@"; do
    "$HERE/guest-fmac.sh" --show "$s" "$FOUT" || continue
    if [ "${WAIT_VMS:-1}" = 1 ]; then
      while pgrep -f qemu-system >/dev/null; do sleep 5; done     # one VM at a time on this host
    fi
    echo "=== $s ($(date +%T))"
    rm -rf "$FOUT/raw/$s"
    t0=$(date +%s)
    timeout "${VM_TIMEOUT:-300}" nice vng ${VNG_OPTS---disable-kvm} --run /boot/vmlinuz-$KVER --rwdir "$FOUT/raw" --force-9p \
        --memory 2G --cpus 2 --exec "$HERE/guest-fmac.sh $s $FOUT/raw/$s $FOUT" > "$FOUT/raw/$s.vng.log" 2>&1
    echo "    rc=$? $(( $(date +%s) - t0 )) s $(grep '^outcome=' "$FOUT/raw/$s/result.txt" 2>/dev/null)"
  done
fi

[ "${NO_POST:-0}" = 1 ] || LAB_OUT="$LAB" FMAC_OUT="$FOUT" python3 "$HERE/postprocess-fmac.py" "$@"
