#!/bin/bash
# Runs INSIDE the virtme-ng guest (host rootfs mounted read-only, /etc /var /tmp /run are
# throw-away overlays/tmpfs). Usage: guest.sh <scenario> <host-output-dir>
# Sets up mac80211_hwsim (2 radios) + nlmon, starts captures (iwmon + tcpdump on nlmon0),
# starts hostapd (WPA3-SAE AP on the first radio), then the client on the second radio.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)   # the lab folder (host rootfs, read-only in the guest): relay.py lives here
SCEN=$1
DEST=$2
W=/tmp/run            # guest-local work dir (copied to $DEST at the end)
rm -rf $W; mkdir -p $W
exec > >(tee $W/guest.log) 2>&1
ts() { date +%H:%M:%S.%N | cut -c1-12; }
log() { echo "[$(ts)] guest: $*"; }

# ---------------- scenario table ----------------
SSID=lab-sae
AP_PASS='correct horse battery staple'   # test secret
CLI_PASS="$AP_PASS"
CLIENT=iwd          # iwd | wpas
SAE_PWE=""          # "" = default (0: hunting-and-pecking only), 1 = H2E only, 2 = both
AP_GROUPS=""        # hostapd sae_groups (default: 19)
CLI_GROUPS=""       # wpa_supplicant sae_groups
ANTICLOG=""         # hostapd sae_anti_clogging_threshold
RECONNECT=0         # 1 = disconnect + reconnect (PMKSA cache); 2 = disconnect, RESTART hostapd, reconnect (stale PMKSA)
AP_PWE=""           # per-side override of SAE_PWE (hostapd)
CLI_PWE=""          # per-side override of SAE_PWE (wpa_supplicant; 3 = test-only "force hunting-and-pecking")
NOAP=0              # 1 = scan with network disabled, freeze hostapd (SIGSTOP), select network, SIGKILL hostapd after the commit
WAIT_CONN=40        # seconds to wait for AP-STA-CONNECTED
EXPECT=success
AP_PASS_LINE=""     # replaces the hostapd line sae_password=$AP_PASS (e.g. a password identifier: '...|id=alice')
AP_EXTRA=""         # extra hostapd.conf lines (\n-separated)
CLI_MFP=2           # wpa_supplicant network ieee80211w
CLI_NET_EXTRA=""    # extra wpa_supplicant network-block lines (\n-separated)
RELAY=""            # relay.py rules, e.g. "--drop auth-confirm" (withhold frames at hostapd, see relay.py)
ACTION=""           # after the first result: deauth = hostapd_cli deauthenticate the station once connected, wait
                    # for the reconnect; fixpass = after FIX_AFTER auth rejects set the right password (wpa_cli
                    # set_network + reassociate) and wait for the connection
FIX_AFTER=2
TAIL=0              # extra seconds of capture after the outcome
case "$SCEN" in
  iwd-sae-ok)             CLIENT=iwd ;;
  iwd-sae-wrongpass)      CLIENT=iwd; CLI_PASS='wrong password 12345'; EXPECT=failure; WAIT_CONN=15 ;;
  wpas-sae-ok)            CLIENT=wpas ;;
  wpas-sae-wrongpass)     CLIENT=wpas; CLI_PASS='wrong password 12345'; EXPECT=failure; WAIT_CONN=15 ;;
  wpas-sae-h2e)           CLIENT=wpas; SAE_PWE=1 ;;
  iwd-sae-h2e)            CLIENT=iwd;  SAE_PWE=1 ;;
  wpas-sae-group20)       CLIENT=wpas; AP_GROUPS=20; CLI_GROUPS=20 ;;
  iwd-sae-group20)        CLIENT=iwd;  AP_GROUPS=20 ;;
  wpas-sae-group21)       CLIENT=wpas; AP_GROUPS=21; CLI_GROUPS=21 ;;
  wpas-sae-anticlog)      CLIENT=wpas; ANTICLOG=0 ;;
  iwd-sae-anticlog)       CLIENT=iwd;  ANTICLOG=0 ;;
  wpas-sae-pmksa-reconnect) CLIENT=wpas; RECONNECT=1 ;;
  wpas-sae-h2e-mismatch)  CLIENT=wpas; AP_PWE=1; CLI_PWE=0; EXPECT=failure; WAIT_CONN=15 ;;
  wpas-sae-h2e-mismatch-rev) CLIENT=wpas; AP_PWE=0; CLI_PWE=1; EXPECT=failure; WAIT_CONN=15 ;;
  wpas-sae-h2e-mismatch-hnp) CLIENT=wpas; AP_PWE=1; CLI_PWE=3; EXPECT=failure; WAIT_CONN=15 ;;
  wpas-sae-group-mismatch) CLIENT=wpas; AP_GROUPS=21; CLI_GROUPS=19; EXPECT=failure; WAIT_CONN=15 ;;
  iwd-sae-group-mismatch) CLIENT=iwd;  AP_GROUPS=21; EXPECT=failure; WAIT_CONN=15 ;;
  wpas-sae-pmksa-stale)   CLIENT=wpas; RECONNECT=2; EXPECT="success after status 53 (invalid PMKID) + fresh SAE" ;;
  wpas-sae-no-ap)         CLIENT=wpas; NOAP=1; EXPECT=failure; WAIT_CONN=20 ;;
  # ---- "Diagnosis you can trust" set (lab/README.md): frames withheld by relay.py, never forged
  wpas-sae-pwid-mismatch) CLIENT=wpas; SAE_PWE=2; AP_PASS_LINE="sae_password=$AP_PASS|id=alice"
                          CLI_NET_EXTRA='  sae_password_id="bob"'; EXPECT="failure (status 123)"; WAIT_CONN=20 ;;
  wpas-sae-mfp-off)       CLIENT=wpas; CLI_MFP=0; EXPECT="failure (client skips the MFP-required BSS)"; WAIT_CONN=15 ;;
  wpas-sae-no-peer-confirm) CLIENT=wpas; RELAY="--drop auth-confirm"; EXPECT=failure; WAIT_CONN=30 ;;
  iwd-sae-no-peer-confirm)  CLIENT=iwd;  RELAY="--drop auth-confirm"; EXPECT=failure; WAIT_CONN=30 ;;
  wpas-sae-no-peer-commit)  CLIENT=wpas; RELAY="--drop auth-commit";  EXPECT=failure; WAIT_CONN=30 ;;
  iwd-sae-no-peer-commit)   CLIENT=iwd;  RELAY="--drop auth-commit";  EXPECT=failure; WAIT_CONN=30 ;;
  wpas-sae-assoc-timeout)   CLIENT=wpas; RELAY="--drop assoc-req";    EXPECT=failure; WAIT_CONN=25 ;;
  iwd-sae-assoc-timeout)    CLIENT=iwd;  RELAY="--drop assoc-req";    EXPECT=failure; WAIT_CONN=25 ;;
  wpas-sae-4way-no-m1)      CLIENT=wpas; RELAY="--drop eapol-m1";     EXPECT=failure; WAIT_CONN=25 ;;
  wpas-sae-4way-no-m3)      CLIENT=wpas; RELAY="--drop eapol-m3";     EXPECT=failure; WAIT_CONN=25 ;;
  iwd-sae-4way-no-m1)       CLIENT=iwd;  RELAY="--drop eapol-m1";     EXPECT=failure; WAIT_CONN=25 ;;
  wpas-sae-wrongpass-then-right) CLIENT=wpas; CLI_PASS='wrong password 12345'; ACTION=fixpass; FIX_AFTER=2
                          EXPECT="failures, then success after the password is corrected"; WAIT_CONN=60 ;;
  wpas-sae-deauth-reconnect) CLIENT=wpas; ACTION=deauth; EXPECT="connected, deauthenticated by the AP, reconnected" ;;
  iwd-sae-deauth-reconnect)  CLIENT=iwd;  ACTION=deauth; EXPECT="connected, deauthenticated by the AP, reconnected" ;;
  *) echo "unknown scenario $SCEN"; exit 2 ;;
esac
[ -z "$AP_PWE" ]  && AP_PWE=$SAE_PWE
[ -z "$CLI_PWE" ] && CLI_PWE=$SAE_PWE

# ---------------- kernel side ----------------
log "kernel $(uname -r)"
for m in cfg80211 mac80211 nlmon af_alg algif_hash algif_skcipher algif_aead cmac ccm gcm hmac md4 md5 sha1_generic sha256_generic sha512_generic ecb cbc ctr des_generic libdes aes_generic arc4 pkcs8_key_parser; do
  modprobe -q $m 2>/dev/null || true
done
modprobe mac80211_hwsim radios=2 || { log "modprobe mac80211_hwsim failed"; }
sleep 1
ip link set lo up
ip link add nlmon0 type nlmon && ip link set nlmon0 up
iw dev > $W/iw-dev.txt 2>&1
AP_IF=$(iw dev | awk '/^phy#0/{p=1} p&&/Interface/{print $2; exit}')
CL_IF=$(iw dev | awk '/^phy#1/{p=1} p&&/Interface/{print $2; exit}')
log "AP iface=$AP_IF  client iface=$CL_IF"
cat $W/iw-dev.txt

# ---------------- configs ----------------
cat > $W/hostapd.conf <<EOF
interface=$AP_IF
driver=nl80211
ctrl_interface=$W/hostapd-ctrl
ssid=$SSID
hw_mode=g
channel=1
wpa=2
wpa_key_mgmt=SAE
rsn_pairwise=CCMP
ieee80211w=2
${AP_PASS_LINE:-sae_password=$AP_PASS}
EOF
[ -n "$AP_EXTRA" ]  && printf '%b\n' "$AP_EXTRA" >> $W/hostapd.conf
[ -n "$AP_PWE" ]    && echo "sae_pwe=$AP_PWE" >> $W/hostapd.conf
[ -n "$AP_GROUPS" ] && echo "sae_groups=$AP_GROUPS" >> $W/hostapd.conf
[ -n "$ANTICLOG" ]  && echo "sae_anti_clogging_threshold=$ANTICLOG" >> $W/hostapd.conf

if [ $CLIENT = wpas ]; then
  {
    echo "ctrl_interface=$W/wpas-ctrl"
    [ -n "$CLI_PWE" ]    && echo "sae_pwe=$CLI_PWE"
    [ -n "$CLI_GROUPS" ] && echo "sae_groups=$CLI_GROUPS"
    echo "network={"
    echo "  ssid=\"$SSID\""
    echo "  key_mgmt=SAE"
    echo "  ieee80211w=$CLI_MFP"
    echo "  proto=RSN"
    echo "  pairwise=CCMP"
    echo "  group=CCMP"
    echo "  sae_password=\"$CLI_PASS\""
    echo "  scan_freq=2412"
    [ -n "$CLI_NET_EXTRA" ] && printf '%b\n' "$CLI_NET_EXTRA"
    [ $NOAP = 1 ] && echo "  disabled=1"
    echo "}"
  } > $W/client.conf
else
  mkdir -p $W/iwd-etc $W/iwd-state
  cat > $W/iwd-etc/main.conf <<EOF
[General]
UseDefaultInterface=true
EnableNetworkConfiguration=false
EOF
  printf '[Security]\nPassphrase=%s\n' "$CLI_PASS" > $W/iwd-state/$SSID.psk
  cp $W/iwd-etc/main.conf $W/client-main.conf
  cp $W/iwd-state/$SSID.psk $W/client.conf
fi

# ---------------- captures ----------------
tcpdump -i nlmon0 -U -s 0 -Z root -w $W/nlmon.pcap > $W/tcpdump.log 2>&1 &
TCPDUMP_PID=$!
iwmon -w $W/iwmon.pcap > $W/iwmon-live.txt 2>&1 &
IWMON_PID=$!
# over-the-air: mac80211_hwsim's radiotap monitor netdev hwsim0 sees every frame on the simulated medium
if ip link set hwsim0 up; then
  tcpdump -i hwsim0 -U -s 0 -Z root -w $W/air.pcap > $W/tcpdump-air.log 2>&1 &
  AIR_PID=$!
else
  log "hwsim0 not available - no air capture"; AIR_PID=""
fi
sleep 2
log "captures started (tcpdump nlmon0 pid $TCPDUMP_PID, iwmon pid $IWMON_PID, tcpdump hwsim0 pid $AIR_PID)"

# ---------------- AP ----------------
: > $W/hostapd.log   # O_APPEND below: the guest's own "guest:" lines land between hostapd's, not under them
hostapd -dd -t $W/hostapd.conf >> $W/hostapd.log 2>&1 &
HOSTAPD_PID=$!
for i in $(seq 1 60); do grep -q 'AP-ENABLED' $W/hostapd.log && break; sleep 0.5; done
grep -q 'AP-ENABLED' $W/hostapd.log && log "hostapd AP-ENABLED" || log "hostapd did NOT come up"
HCLI="hostapd_cli -p $W/hostapd-ctrl -i $AP_IF"
if [ -n "$RELAY" ]; then
  python3 $HERE/relay.py $W/hostapd-ctrl/$AP_IF --log $W/relay.log $RELAY &
  RELAY_PID=$!
  for i in $(seq 1 40); do grep -q 'ATTACH -> OK' $W/relay.log 2>/dev/null && break; sleep 0.25; done
  log "relay.py pid $RELAY_PID: $(grep -c . $W/relay.log 2>/dev/null) log lines ($RELAY)"
fi

# ---------------- client ----------------
if [ $CLIENT = wpas ]; then
  wpa_supplicant -dd -t -D nl80211 -i $CL_IF -c $W/client.conf > $W/client.log 2>&1 &
  CLIENT_PID=$!
else
  mkdir -p /run/dbus
  dbus-daemon --system --fork --print-pid > $W/dbus.pid 2> $W/dbus.log
  sleep 1
  CONFIGURATION_DIRECTORY=$W/iwd-etc STATE_DIRECTORY=$W/iwd-state IWD_SAE_DEBUG=1 \
    /usr/libexec/iwd -d -p $(basename $(readlink -f /sys/class/net/$CL_IF/phy80211)) -i $CL_IF > $W/client.log 2>&1 &
  CLIENT_PID=$!
fi
log "client $CLIENT started pid $CLIENT_PID"

wait_connected() {  # $1 = number of AP-STA-CONNECTED lines to wait for, $2 = timeout s
  local n=$1 t=$2 i
  for i in $(seq 1 $((t*2))); do
    [ "$(grep -c 'AP-STA-CONNECTED' $W/hostapd.log)" -ge "$n" ] && return 0
    sleep 0.5
  done
  return 1
}

OUTCOME=""
if [ $NOAP = 1 ]; then
  # wpas-sae-no-ap: the client learns the BSS from a real scan, then the AP goes silent before the SAE commit
  for i in $(seq 1 20); do [ -S $W/wpas-ctrl/$CL_IF ] && break; sleep 0.5; done
  wpa_cli -p $W/wpas-ctrl -i $CL_IF scan
  for i in $(seq 1 40); do wpa_cli -p $W/wpas-ctrl -i $CL_IF scan_results | grep -q "$SSID" && break; sleep 0.5; done
  wpa_cli -p $W/wpas-ctrl -i $CL_IF scan_results > $W/client-scan-results.txt
  log "scan results: $(grep -c "$SSID" $W/client-scan-results.txt) BSS with $SSID; freezing hostapd (SIGSTOP pid $HOSTAPD_PID)"
  kill -STOP $HOSTAPD_PID
  echo "[$(ts)] guest: hostapd pid $HOSTAPD_PID frozen with SIGSTOP" >> $W/hostapd.log
  wpa_cli -p $W/wpas-ctrl -i $CL_IF select_network 0
  for i in $(seq 1 50); do grep -q 'nl80211: Authentication request send successfully' $W/client.log && break; sleep 0.1; done
  grep -q 'nl80211: Authentication request send successfully' $W/client.log && log "client sent the SAE commit (CMD_AUTHENTICATE)" || log "no commit seen in client.log yet"
  sleep 0.3
  kill -KILL $HOSTAPD_PID; wait $HOSTAPD_PID 2>/dev/null
  echo "[$(ts)] guest: hostapd pid $HOSTAPD_PID killed with SIGKILL" >> $W/hostapd.log
  log "hostapd killed (SIGKILL pid $HOSTAPD_PID); watching the client for ${WAIT_CONN}s"
  sleep $WAIT_CONN
  OUTCOME="not connected (hostapd frozen before the commit, killed after it; watched ${WAIT_CONN}s)"
  grep -q 'CTRL-EVENT-CONNECTED' $W/client.log && OUTCOME="connected?! (unexpected)"
elif [ "$ACTION" = fixpass ]; then
  for i in $(seq 1 $((WAIT_CONN*2))); do
    [ "$(grep -c 'CTRL-EVENT-AUTH-REJECT' $W/client.log)" -ge $FIX_AFTER ] && break; sleep 0.5
  done
  log "$(grep -c 'CTRL-EVENT-AUTH-REJECT' $W/client.log) auth rejects; setting the right password and reassociating"
  echo "[$(ts)] guest: wpa_cli set_network 0 sae_password (right password) + reassociate" >> $W/hostapd.log
  wpa_cli -p $W/wpas-ctrl -i $CL_IF set_network 0 sae_password "\"$AP_PASS\""
  wpa_cli -p $W/wpas-ctrl -i $CL_IF reassociate
  if wait_connected 1 30; then log "AP-STA-CONNECTED seen"; OUTCOME="connected after the password was corrected"; sleep 2
  else OUTCOME="not connected after the password was corrected"; fi
elif wait_connected 1 $WAIT_CONN; then
  log "AP-STA-CONNECTED seen"; OUTCOME="connected"
  sleep 2
  if [ "$ACTION" = deauth ]; then
    STA=$(cat /sys/class/net/$CL_IF/address)
    log "hostapd_cli deauthenticate $STA"
    echo "[$(ts)] guest: hostapd_cli deauthenticate $STA" >> $W/hostapd.log
    $HCLI deauthenticate $STA
    if wait_connected 2 30; then log "second AP-STA-CONNECTED seen"; OUTCOME="connected, deauthenticated by the AP, reconnected"; sleep 2
    else log "no reconnect"; OUTCOME="connected, deauthenticated by the AP, NOT reconnected within 30 s"; fi
  elif [ $RECONNECT = 1 ]; then
    log "disconnect + reconnect (PMKSA caching expected)"
    wpa_cli -p $W/wpas-ctrl -i $CL_IF disconnect
    sleep 1.5
    wpa_cli -p $W/wpas-ctrl -i $CL_IF reconnect
    if wait_connected 2 30; then log "second AP-STA-CONNECTED seen"; OUTCOME="connected, disconnected, reconnected"; sleep 2
    else log "reconnect did not complete"; OUTCOME="connected, reconnect FAILED"; fi
  elif [ $RECONNECT = 2 ]; then
    log "disconnect, restart hostapd (AP forgets its PMKSA cache), reconnect (client keeps its cache)"
    wpa_cli -p $W/wpas-ctrl -i $CL_IF disconnect
    sleep 1.5
    wpa_cli -p $W/wpas-ctrl -i $CL_IF pmksa > $W/client-pmksa-before-reconnect.txt 2>&1
    kill -INT $HOSTAPD_PID; wait $HOSTAPD_PID 2>/dev/null
    echo "[$(ts)] guest: ===== hostapd pid $HOSTAPD_PID stopped (SIGINT); starting a new hostapd =====" >> $W/hostapd.log
    hostapd -dd -t $W/hostapd.conf >> $W/hostapd.log 2>&1 &
    HOSTAPD_PID=$!
    for i in $(seq 1 60); do [ "$(grep -c 'AP-ENABLED' $W/hostapd.log)" -ge 2 ] && break; sleep 0.5; done
    log "new hostapd pid $HOSTAPD_PID, AP-ENABLED count $(grep -c 'AP-ENABLED' $W/hostapd.log)"
    wpa_cli -p $W/wpas-ctrl -i $CL_IF reconnect
    if wait_connected 2 30; then log "second AP-STA-CONNECTED seen"; sleep 2
      OUTCOME="connected, AP restarted, reconnected"
      grep -q 'status_code=53' $W/client.log && OUTCOME="$OUTCOME (assoc rejected with status 53 first)"
    else log "reconnect did not complete"; OUTCOME="connected, AP restarted, reconnect FAILED"; fi
  fi
else
  log "no AP-STA-CONNECTED within $WAIT_CONN s"; OUTCOME="not connected within ${WAIT_CONN}s"
fi
[ $CLIENT = wpas ] && wpa_cli -p $W/wpas-ctrl -i $CL_IF status > $W/client-status.txt 2>&1

[ "$TAIL" -gt 0 ] && { log "tail: capturing $TAIL s more"; sleep $TAIL; }

# ---------------- teardown ----------------
kill -INT $CLIENT_PID 2>/dev/null; sleep 1
[ -n "${RELAY_PID:-}" ] && kill $RELAY_PID 2>/dev/null
kill -INT $HOSTAPD_PID 2>/dev/null; sleep 1
kill -INT $IWMON_PID $TCPDUMP_PID $AIR_PID 2>/dev/null; sleep 1
wait $TCPDUMP_PID $IWMON_PID $AIR_PID 2>/dev/null
[ -f $W/dbus.pid ] && kill $(cat $W/dbus.pid) 2>/dev/null

{
  echo "scenario=$SCEN"
  echo "client=$CLIENT"
  echo "expected=$EXPECT"
  echo "relay=$RELAY"
  echo "action=$ACTION"
  echo "outcome=$OUTCOME"
  echo "guest_kernel=$(uname -r)"
  echo "guest_kernel_full=$(cat /proc/version)"
  echo "hostapd_version=$(hostapd -v 2>&1 | head -1)"
  echo "wpa_supplicant_version=$(wpa_supplicant -v | head -1)"
  echo "iwd_version=$(/usr/libexec/iwd --version)"
  echo "tcpdump_version=$(tcpdump --version 2>&1 | head -1)"
  echo "ap_iface=$AP_IF client_iface=$CL_IF"
} > $W/result.txt
cat $W/result.txt
rm -rf $W/hostapd-ctrl $W/wpas-ctrl
mkdir -p $DEST
cp -r $W/. $DEST/
sync
log "done"
