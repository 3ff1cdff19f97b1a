#!/bin/bash
# One-time setup of the emulated-FullMAC lab (Debian 12 amd64 host, root, apt). Writes only under $LAB_OUT
# (this folder can stay read-only):
#   1. the hwsim lab's packages (same list as ../run-lab.sh) + gcc/make/linux-libc-dev, with --no-upgrade
#      (installed packages, the kernel included, are left as they are)
#   2. linux-headers-$KVER, copy of module/ to $FMAC_OUT/module and build of fmac_sim.ko there
#   3. iwd 3.8 from Debian trixie: apt-get download with a private trixie list ($FMAC_OUT/apt, .debs in
#      $FMAC_OUT/debs), unpacked with dpkg -x into $FMAC_OUT/trixie-root together with trixie's libc; the guest
#      runs it through trixie's own ld.so. Nothing is installed into the host system.
#   4. virtme-ng venv in $VNG_VENV (default $LAB_OUT/venv, the same one ../run-lab.sh uses)
# Environment:
#   LAB_OUT    output root (default ./lab-out); FMAC_OUT (default $LAB_OUT/fmac)
#   KVER       lab kernel (default: newest *-amd64 in /lib/modules; /boot/vmlinuz-$KVER must exist)
#   FMAC_DEBS  a folder with already downloaded iwd_*.deb libell0_*.deb libc6_*.deb libreadline8t64_*.deb
#              libtinfo6_*.deb (trixie): copied instead of downloading. Debs already in $FMAC_OUT/debs are reused too.
#   FMAC_MIRROR  Debian mirror URI for the trixie list (default: the one this host's apt sources use for its release)
#   SKIP_APT=1 skip step 1 and the headers install (no root needed for the rest if $LAB_OUT is writable)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DEF_OUT=$(cd "$HERE/../../.." && pwd)/lab-out   # default: next to the repository, never inside it
LAB=$(mkdir -p "${LAB_OUT:-$DEF_OUT}" && cd "${LAB_OUT:-$DEF_OUT}" && pwd)
FOUT=$(mkdir -p "${FMAC_OUT:-$LAB/fmac}" && cd "${FMAC_OUT:-$LAB/fmac}" && pwd)
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)

# ---- 1. packages
if [ "${SKIP_APT:-0}" != 1 ]; then
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update
  apt-get install -y --no-install-recommends --no-upgrade qemu-system-x86 linux-image-amd64 hostapd iwd wpasupplicant \
      tcpdump iproute2 iw busybox-static kmod tshark dbus cpio python3-venv gcc make linux-libc-dev
fi

# ---- 2. module
KVER=${KVER:-$(ls /lib/modules | grep -- '-amd64$' | sort -V | tail -1)}
[ -e /boot/vmlinuz-$KVER ] || { echo "setup: no /boot/vmlinuz-$KVER (set KVER)"; exit 1; }
[ "${SKIP_APT:-0}" = 1 ] || apt-get install -y --no-install-recommends --no-upgrade linux-headers-$KVER
mkdir -p "$FOUT/module"
cp "$HERE/module/fmac_sim.c" "$HERE/module/Makefile" "$FOUT/module/"
make -C "$FOUT/module" KVER=$KVER
echo "setup: built $FOUT/module/fmac_sim.ko for $KVER (md5 $(md5sum < "$FOUT/module/fmac_sim.ko" | cut -c1-12))"

# ---- 3. iwd 3.8 from trixie
PKGS="iwd libell0 libc6 libreadline8t64 libtinfo6"
DEBS=$FOUT/debs; mkdir -p "$DEBS"
[ -n "${FMAC_DEBS:-}" ] && cp "$FMAC_DEBS"/*.deb "$DEBS"/
missing=""
for p in $PKGS; do ls "$DEBS"/${p}_*.deb >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  deb_mirror() {  # the URI this host's apt uses for its own Debian release (deb822 .sources or one-line sources.list)
    local c; c=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    awk -v c="$c" 'BEGIN { RS = "" } { u = ""; ok = 0; n = split($0, L, "\n")
        for (i = 1; i <= n; i++) { m = split(L[i], F, /[ \t]+/)
          if (F[1] == "URIs:") u = F[2]
          if (F[1] == "Suites:") for (j = 2; j <= m; j++) if (F[j] == c) ok = 1 }
        if (ok && u != "") { print u; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
    awk -v c="$c" '$1 == "deb" { for (i = 2; i < NF; i++) if ($i ~ /:\/\//) { if ($(i+1) == c) { print $i; exit } } }' \
        /etc/apt/sources.list 2>/dev/null || true
  }
  MIRROR=${FMAC_MIRROR:-$(deb_mirror | head -1)}
  [ -n "$MIRROR" ] || { echo "setup: no Debian mirror found in the apt sources; set FMAC_MIRROR"; exit 1; }
  A=$FOUT/apt; mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
  echo "deb $MIRROR trixie main" > "$A/sources.list"      # signed with the trixie keys of debian-archive-keyring
  O="-o Dir::Etc::SourceList=$A/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache -o Acquire::Languages=none -o APT::Sandbox::User=root"
  apt-get $O update
  (cd "$DEBS" && apt-get $O download $missing)
fi
rm -rf "$FOUT/trixie-root"; mkdir -p "$FOUT/trixie-root"
for p in $PKGS; do dpkg -x "$(ls "$DEBS"/${p}_*.deb | sort -V | tail -1)" "$FOUT/trixie-root"; done
TR=$FOUT/trixie-root
echo "setup: trixie iwd: $("$TR/usr/lib64/ld-linux-x86-64.so.2" --library-path "$TR/usr/lib/x86_64-linux-gnu" "$TR/usr/libexec/iwd" --version)"

# ---- 4. virtme-ng
V=${VNG_VENV:-$LAB/venv}
[ -x "$V/bin/vng" ] || { python3 -m venv "$V" && "$V/bin/pip" install virtme-ng; }
echo "setup: vng $("$V/bin/vng" --version 2>&1 | head -1)"
echo "setup: done in $(( $(date +%s) - t0 )) s; FMAC_OUT=$FOUT"
