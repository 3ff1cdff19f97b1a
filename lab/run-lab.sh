#!/bin/bash
# Reproduce the whole capture lab from scratch:
#   run-lab.sh                 # install deps, run all scenarios, post-process
#   run-lab.sh iwd-sae-ok      # only the named scenario(s)
#   SKIP_SETUP=1 run-lab.sh    # skip apt/pip
#   POST_ONLY=1  run-lab.sh    # only re-run post-processing of raw/ -> captures/
# Output goes to $LAB_OUT (default ./lab-out): raw/, captures/, venv/.
# Every scenario boots a fresh Debian 6.1 kernel in QEMU (TCG: where /dev/kvm is a nested-virtualisation variant, a stock
# kernel hangs under KVM) via virtme-ng with the host rootfs read-only, see guest.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
DEF_OUT=$(cd "$HERE/../.." && pwd)/lab-out   # default: next to the repository, never inside it
LAB=$(mkdir -p "${LAB_OUT:-$DEF_OUT}" && cd "${LAB_OUT:-$DEF_OUT}" && pwd)
cd "$LAB"
ALL="iwd-sae-ok iwd-sae-wrongpass wpas-sae-ok wpas-sae-wrongpass wpas-sae-h2e iwd-sae-h2e wpas-sae-group20 iwd-sae-group20 wpas-sae-group21 wpas-sae-anticlog iwd-sae-anticlog wpas-sae-pmksa-reconnect wpas-sae-h2e-mismatch wpas-sae-h2e-mismatch-rev wpas-sae-h2e-mismatch-hnp wpas-sae-group-mismatch iwd-sae-group-mismatch wpas-sae-pmksa-stale wpas-sae-no-ap wpas-sae-pwid-mismatch wpas-sae-mfp-off wpas-sae-no-peer-confirm iwd-sae-no-peer-confirm wpas-sae-no-peer-commit iwd-sae-no-peer-commit wpas-sae-assoc-timeout iwd-sae-assoc-timeout wpas-sae-4way-no-m1 wpas-sae-4way-no-m3 iwd-sae-4way-no-m1 wpas-sae-wrongpass-then-right wpas-sae-deauth-reconnect iwd-sae-deauth-reconnect"
SCENS="${*:-$ALL}"

if [ "${SKIP_SETUP:-0}" != 1 ] && [ "${POST_ONLY:-0}" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update
  apt-get install -y --no-install-recommends qemu-system-x86 linux-image-amd64 hostapd iwd wpasupplicant \
      tcpdump iproute2 iw busybox-static kmod tshark dbus cpio
  [ -x $LAB/venv/bin/vng ] || { python3 -m venv $LAB/venv && $LAB/venv/bin/pip install virtme-ng; }
fi
export PATH=$LAB/venv/bin:$PATH
KVER=$(ls /lib/modules | grep -- '-amd64$' | sort -V | tail -1)
KIMG=/boot/vmlinuz-$KVER

if [ "${POST_ONLY:-0}" != 1 ]; then
  mkdir -p $LAB/raw
  for s in $SCENS; do
    while pgrep -f qemu-system >/dev/null; do sleep 5; done     # one VM at a time on this host
    echo "=== scenario $s ($(date +%T))"
    rm -rf $LAB/raw/$s
    t0=$(date +%s)
    timeout 300 vng ${VNG_OPTS---disable-kvm} --run $KIMG --rwdir $LAB/raw --force-9p --memory 2G --cpus 2 \
        --exec "$HERE/guest.sh $s $LAB/raw/$s" > $LAB/raw/$s.vng.log 2>&1
    echo "    rc=$? $(( $(date +%s) - t0 )) s $(grep '^outcome=' $LAB/raw/$s/result.txt 2>/dev/null)"
  done
fi

LAB_OUT="$LAB" python3 "$HERE/postprocess.py" $SCENS
