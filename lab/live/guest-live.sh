#!/bin/bash
# Runs INSIDE the virtme-ng guest: `nl80211dec live` alongside one unchanged lab scenario.
#   guest-live.sh <hwsim|fmac> <scenario> <host-output-dir> <python> <nl80211dec-source-dir> [<fmac-dir>]
# The live command starts first (it creates nlmon0 and captures from there on); then the lab's own guest
# script runs the scenario as always: its `ip link add nlmon0` finds ours (the add fails, ours is up) and
# its tcpdump captures on that same nlmon0, so both captures receive the very same skbs. When the scenario
# is done the live command gets SIGTERM and must print the last verdicts and remove nlmon0.
# Output: <dest>/lab/ (the scenario's own output, nlmon.pcap = tcpdump) and <dest>/live/ (ours).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)   # lab/live (host rootfs, read-only in the guest)
LABDIR=$(dirname "$HERE")
KIND=$1 SCEN=$2 DEST=$3 PY=$4 SRC=$5 FDIR=${6:-}
L=/tmp/live                           # guest-local; copied to $DEST/live at the end
rm -rf $L; mkdir -p $L $DEST
ts() { date +%H:%M:%S.%N | cut -c1-12; }
log() { echo "[$(ts)] live-guest: $*" | tee -a $L/guest-live.log; }

log "kernel $(uname -r); python $PY; nl80211dec from $SRC"
for m in cfg80211 mac80211 nlmon; do modprobe -q $m 2>/dev/null || true; done
# the radios the scenario asks for, loaded first so the snapshot sees them (the scenario's modprobe is a no-op)
modprobe mac80211_hwsim radios=2 || log "modprobe mac80211_hwsim failed"
ip link set lo up

# stdout as printed, and each line with the moment it arrived (when was each verdict told?)
PYTHONPATH=$SRC $PY -m nl80211dec live --sae -w $L/live.pcapng --snapshot 2> $L/live-stderr.txt \
  > >(while IFS= read -r line; do printf '%s\n' "$line" >> $L/live-sae.txt
                                   printf '%s %s\n' "$EPOCHREALTIME" "$line" >> $L/live-sae.timed.txt; done) &
LIVE=$!
for i in $(seq 1 240); do grep -q 'capturing netlink' $L/live-stderr.txt && break; sleep 0.5; done
grep -q 'capturing netlink' $L/live-stderr.txt && log "live capture running (pid $LIVE)" \
  || { log "live capture did not start"; cat $L/live-stderr.txt; }
ip -d link show nlmon0 > $L/nlmon0-during.txt 2>&1

if [ "$KIND" = fmac ]; then
  bash $LABDIR/fmac/guest-fmac.sh "$SCEN" "$DEST/lab" "$FDIR" > $L/scenario.log 2>&1
else
  bash $LABDIR/guest.sh "$SCEN" "$DEST/lab" > $L/scenario.log 2>&1
fi
log "scenario $SCEN done: $(grep '^outcome=' $DEST/lab/result.txt 2>/dev/null)"

sleep 2
kill -TERM $LIVE
wait $LIVE
echo "live_exit=$?" > $L/live-result.txt
sleep 1   # the reader of its stdout finishes the last lines
if ip link show nlmon0 > /dev/null 2>&1; then echo "nlmon0_after=present" >> $L/live-result.txt
else echo "nlmon0_after=removed" >> $L/live-result.txt; fi
log "live exited: $(tr '\n' ' ' < $L/live-result.txt)"
mkdir -p $DEST/live
cp -r $L/. $DEST/live/
sync
log "done"
