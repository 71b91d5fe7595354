#!/usr/bin/env bash
# smb.sh - integration test of issue 3 (NetBIOS and SMB): a real Samba (smbd +
# nmbd, SMB1 enabled) in network namespaces this test creates, driven by real
# clients (nmblookup, smbclient over SMB3 and SMB1, over 445 and 139, an
# anonymous listing, a bounded burst of wrong passwords), captured with
# tcpdump; wiresift's NDJSON (checked with jq) and text report must show the
# logins, the NetBIOS names, the shares and files, and exactly the findings
# expected.
#
#   tests/lab/smb.sh [WIRESIFT]          (root; default WIRESIFT: build/wiresift)
#   WS_LAB_PCAP=cap.pcap tests/lab/smb.sh [WIRESIFT]
#                                        only the assertions, on a capture an
#                                        earlier run kept (no root needed)
#
# Prints one line per assertion and closes with "lab-smb: N passed, M failed";
# exit 1 on any failure. Not root, or no `ip netns`: "lab-smb: skipped ...",
# exit 0. The capture of the last run is kept in $WS_LAB_KEEP (default
# /tmp/lab-smb/last.pcap, with the NDJSON, the report and the daemons' logs).
#
# Topology (only namespaces created here; nothing touches the host's network):
#
#   wl-cli  eth0 10.78.0.20/24      --+
#   wl-srv  eth0 10.78.0.10/24        +-- br0 (bridge in namespace wl-br)
#   wl-ext  eth0 198.51.100.66/24   --+     capture: tcpdump on port p-srv
#
# 198.51.100.0/24 is TEST-NET-2 (RFC 5737), a pretend public network: the
# attacker in wl-ext reaches the server's private LAN address on-link (as
# through a port forward), the server routes 198.51.100.66 back on-link. Lab
# users exist only in a private mount namespace (bind-mounted copies of
# /etc/passwd, shadow, group); Samba's state lives in a temp dir. Every loop is
# bounded and every client command runs under `timeout`; daemons and tcpdump
# are stopped by their PIDs and the namespaces deleted on exit.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WS=${1:-$ROOT/build/wiresift}
case "$WS" in /*) ;; *) WS=$PWD/$WS ;; esac
KEEP=${WS_LAB_KEEP:-/tmp/lab-smb}
PCAP_IN=${WS_LAB_PCAP:-}
[ -n "$PCAP_IN" ] && case "$PCAP_IN" in /*) ;; *) PCAP_IN=$PWD/$PCAP_IN ;; esac

NS_SRV=wl-srv NS_CLI=wl-cli NS_EXT=wl-ext NS_BR=wl-br
ALL_NS="$NS_SRV $NS_CLI $NS_EXT $NS_BR"
SRV=10.78.0.10 CLI=10.78.0.20 BCAST=10.78.0.255 EXT=198.51.100.66
SRV_NAME=LABFS01 WORKGROUP=WSLAB CLI_NAME=CLIENTPC EXT_NAME=WIN-K7X2Q
SHARE=labdata GETFILE=ledger.txt PUTFILE=upload-lab.txt
# Lab-only account: it exists nowhere but in this test's mount namespace.
LAB_USER=carol LAB_PASS=Harvest-7731 LAB_UID=47101
# The attacker's 12 wrong passwords (one smbclient run each).
GUESSES=(password 123456 carol2024 Welcome1 qwerty letmein Summer2024 admin123
         Passw0rd iloveyou changeme Harvest-7730)

if [ -z "$PCAP_IN" ]; then
	if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
		echo "lab-smb: skipped (needs root and ip netns)"
		exit 0
	fi
	# A private mount namespace: the lab user's /etc files are bind mounts
	# that vanish with it.
	if [ -z "${WS_LAB_UNSHARED:-}" ]; then
		exec env WS_LAB_UNSHARED=1 unshare --mount --propagation private -- \
			bash "${BASH_SOURCE[0]}" "$WS"
	fi
fi

T0=$(date +%s%N)
elapsed() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
say() { printf '  [%5ss] %s\n' "$(elapsed)" "$*"; }

PIDS=()
LAB=""

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

kill_ns_procs() {	# processes still inside one of *our* namespaces
	local pid
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		kill -9 "$pid" 2>/dev/null
	done
}

del_namespaces() {
	local ns
	for ns in $ALL_NS; do
		if [ -e "/run/netns/$ns" ]; then
			kill_ns_procs "$ns"
			ip netns del "$ns" 2>/dev/null || rm -f "/run/netns/$ns"
		fi
	done
}

cleanup() {
	local rc=$? pid f
	set +e
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$pid" 2>/dev/null
	done
	del_namespaces
	for f in passwd shadow group gshadow; do umount "/etc/$f" 2>/dev/null; done
	[ -n "$LAB" ] && [ -d "$LAB" ] && rm -rf "$LAB"
	exit $rc
}

# ---------------------------------------------------------------------------
# The lab: servers, clients, capture. Leaves the capture in $PCAP.
# ---------------------------------------------------------------------------
run_lab() {
	local tool need=()
	for tool in smbd nmbd smbpasswd smbclient nmblookup tcpdump ip unshare setsid ss; do
		command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || need+=("$tool")
	done
	if [ ${#need[@]} -gt 0 ]; then
		echo "  missing tools: ${need[*]} (apt-get install samba smbclient samba-common-bin tcpdump iproute2)"
		return 1
	fi
	export PATH=$PATH:/usr/sbin:/sbin

	trap cleanup EXIT
	trap 'exit 130' INT TERM
	del_namespaces		# leftovers of an interrupted run (same fixed names: ours)

	LAB=$(mktemp -d /tmp/wiresift-labsmb.XXXXXX)
	chmod 755 "$LAB"
	mkdir -p "$LAB"/{log,work-cli,work-ext} \
		"$LAB"/samba/{private,lock,state,cache,run,ncalrpc,bind-dns} \
		"$LAB/samba/shares/$SHARE"
	chmod 700 "$LAB/samba/private"
	local n
	for n in $CLI_NAME $EXT_NAME; do
		mkdir -p "$LAB/client-$n"/{private,lock,state,cache}
	done
	subst() { sed -e "s|@LAB@|$LAB|g" -e "s|@NAME@|${2:-}|g" "$1"; }
	subst "$HERE/smb.conf.in" > "$LAB/smb.conf"
	subst "$HERE/smb-client.conf.in" $CLI_NAME > "$LAB/smb-cli.conf"
	subst "$HERE/smb-client.conf.in" $EXT_NAME > "$LAB/smb-ext.conf"

	# the lab user, visible only in this mount namespace
	local f
	for f in passwd shadow group gshadow; do cp -p "/etc/$f" "$LAB/etc-$f"; done
	echo "$LAB_USER:x:$LAB_UID:$LAB_UID:Carol Lab:$LAB/samba/shares/$SHARE:/bin/false" >> "$LAB/etc-passwd"
	echo "$LAB_USER:!:19700:0:99999:7:::" >> "$LAB/etc-shadow"	# no Unix password: Samba's passdb has it
	echo "$LAB_USER:x:$LAB_UID:" >> "$LAB/etc-group"
	echo "$LAB_USER:!::" >> "$LAB/etc-gshadow"
	for f in passwd shadow group gshadow; do mount --bind "$LAB/etc-$f" "/etc/$f" || return 1; done

	printf 'ledger: 2025-Q3 total 48,210\nline 2\n' > "$LAB/samba/shares/$SHARE/$GETFILE"
	printf 'notes uploaded from the client PC\n' > "$LAB/work-cli/$PUTFILE"
	chown -R "$LAB_UID:$LAB_UID" "$LAB/samba/shares/$SHARE"
	printf '%s\n%s\n' "$LAB_PASS" "$LAB_PASS" |
		smbpasswd -c "$LAB/smb.conf" -L -a -s "$LAB_USER" >/dev/null || return 1

	# network
	local ns h short rest mac
	for ns in $ALL_NS; do
		ip netns add "$ns" || return 1
		in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		in_ns "$ns" ip link set lo up
	done
	in_ns $NS_BR ip link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0 || return 1
	for h in srv:$NS_SRV:02:78:00:00:00:10 cli:$NS_CLI:02:78:00:00:00:20 ext:$NS_EXT:02:78:00:00:00:66; do
		short=${h%%:*} rest=${h#*:}; ns=${rest%%:*} mac=${rest#*:}
		ip link add eth0 netns "$ns" address "$mac" type veth peer name "p-$short" netns $NS_BR || return 1
		in_ns $NS_BR ip link set "p-$short" master br0 up
	done
	in_ns $NS_BR ip link set br0 up
	in_ns $NS_SRV ip addr add $SRV/24 brd $BCAST dev eth0
	in_ns $NS_CLI ip addr add $CLI/24 brd $BCAST dev eth0
	in_ns $NS_EXT ip addr add $EXT/24 brd 198.51.100.255 dev eth0
	for ns in $NS_SRV $NS_CLI $NS_EXT; do in_ns "$ns" ip link set eth0 up; done
	in_ns $NS_EXT ip route add 10.78.0.0/24 dev eth0	# the "port forward"
	in_ns $NS_SRV ip route add $EXT/32 dev eth0

	start_bg() {	# start_bg NAME NS CMD...: own session (samba signals its group), PID kept
		local name=$1 ns=$2; shift 2
		ip netns exec "$ns" setsid "$@" >"$LAB/log/$name.out" 2>&1 </dev/null &
		PIDS+=("$!")
	}
	wait_port() {	# up to 10 s for a listener in wl-srv
		for _ in $(seq 1 50); do
			in_ns $NS_SRV ss -Hltn "sport = :$1" | grep -q . && return 0
			sleep 0.2
		done
		echo "  smbd did not listen on port $1:"; tail -n 20 "$LAB"/log/* | sed 's/^/    /'
		return 1
	}
	start_bg smbd $NS_SRV /usr/sbin/smbd --foreground --no-process-group -s "$LAB/smb.conf"
	wait_port 445 || return 1
	wait_port 139 || return 1

	# capture on the server's bridge port (Ethernet, everything the server sees)
	PCAP=$LAB/capture.pcap
	in_ns $NS_BR setsid tcpdump -i p-srv -s 262144 -U -n -Z root -w "$PCAP" \
		>"$LAB/log/tcpdump.out" 2>&1 </dev/null &
	local tcpdump_pid=$!
	PIDS+=("$tcpdump_pid")
	for _ in $(seq 1 50); do
		grep -q 'listening on' "$LAB/log/tcpdump.out" && break
		sleep 0.1
	done
	sleep 0.5

	local SMBC_CLI=(smbclient -s "$LAB/smb-cli.conf")
	local SMBC_EXT=(smbclient -s "$LAB/smb-ext.conf")
	# clients: 10 s each at most; output to a log, its first lines shown
	cli() { timeout 10 ip netns exec $NS_CLI "$@" >"$LAB/log/client.out" 2>&1; sed -n '1,8s/^/      | /p' "$LAB/log/client.out"; }
	ext() { timeout 10 ip netns exec $NS_EXT "$@" >"$LAB/log/client.out" 2>&1; sed -n '1,2s/^/      | /p' "$LAB/log/client.out"; }

	say "nmbd starts: name registrations, host announcements, browser election"
	start_bg nmbd $NS_SRV /usr/sbin/nmbd --foreground --no-process-group -s "$LAB/smb.conf"
	local nmbd_t0=$SECONDS
	sleep 4
	say "nmblookup: broadcast and unicast name queries for $SRV_NAME, node status (-A, -S)"
	cli nmblookup -s "$LAB/smb-cli.conf" -B $BCAST $SRV_NAME
	cli nmblookup -s "$LAB/smb-cli.conf" -U $SRV "$SRV_NAME#20"
	cli nmblookup -s "$LAB/smb-cli.conf" -A $SRV
	cli nmblookup -s "$LAB/smb-cli.conf" -B $BCAST -S $SRV_NAME
	sleep 0.5

	say "smbclient -L anonymous (-N, empty user name)"
	cli "${SMBC_CLI[@]}" -L //$SRV -N -U ''
	sleep 0.5
	say "SMB3 as $LAB_USER over 445: ls, get $GETFILE, put $PUTFILE"
	cli "${SMBC_CLI[@]}" //$SRV/$SHARE -U "$LAB_USER%$LAB_PASS" -m SMB3 \
		-c "lcd $LAB/work-cli; ls; get $GETFILE; put $PUTFILE"
	sleep 0.5
	say "SMB1 (NT1) as $LAB_USER over 139, NetBIOS session request from $CLI_NAME"
	cli "${SMBC_CLI[@]}" //$SRV_NAME/$SHARE -I $SRV -p 139 -n $CLI_NAME -m NT1 \
		--option='client min protocol=NT1' -U "$LAB_USER%$LAB_PASS" \
		-c "lcd $LAB/work-cli; ls; get $GETFILE"
	sleep 0.5
	say "from $EXT: ${#GUESSES[@]} wrong passwords for $LAB_USER over 445"
	local g
	for g in "${GUESSES[@]}"; do	# exactly 12, bounded
		ext "${SMBC_EXT[@]}" //$SRV/$SHARE -U "$LAB_USER%$g" -c ls
	done
	sleep 0.5
	say "from $EXT: the right password, over 139 (SMB2+ over NetBIOS)"
	ext "${SMBC_EXT[@]}" //$SRV/$SHARE -p 139 -U "$LAB_USER%$LAB_PASS" -c ls
	# nmbd's announcements: at least ~15 s of them, plus up to 15 s more for a
	# host or local master announcement if none came yet
	while [ $((SECONDS - nmbd_t0)) -lt 15 ]; do sleep 0.5; done
	for _ in $(seq 1 30); do
		if command -v tshark >/dev/null 2>&1; then
			tshark -r "$PCAP" -Y "browser.server == \"$SRV_NAME\"" 2>/dev/null | grep -q . && break
		else
			break
		fi
		sleep 0.5
	done
	sleep 1

	say "stopping capture"
	kill -INT $tcpdump_pid
	for _ in $(seq 1 25); do kill -0 $tcpdump_pid 2>/dev/null || break; sleep 0.2; done
	rm -rf "$KEEP/log"
	mkdir -p "$KEEP" "$KEEP/log"
	cp "$PCAP" "$KEEP/last.pcap"
	cp "$LAB"/log/* "$KEEP/log/" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------------------
# Assertions
# ---------------------------------------------------------------------------
PASS=0 FAIL=0
ok()  { PASS=$((PASS + 1)); echo "  ok    $1"; }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 8 | sed 's/^/          /'; return 0; }

# jq helpers over the slurped NDJSON (an array of events).
JQDEFS='
def ev(t): .[] | select(.event_type == t);
def body(t): ev(t) | .[t];
def yes: . == true or . == 1;
def no: . == false or . == 0;
def num(n; s): . == n or ((type == "string") and (ascii_downcase == s));
def isname(n; sfx): type == "object" and ((.name // "") | ascii_upcase) == n and .suffix == sfx;
def entry: if (.name | type) == "object" then .name else . end;
def logins: ev("login") | select(.login.service == "smb");
def user_is(u): ((.login.user // "") | ascii_downcase) == u;
'
# jqok DESC FILTER [DIAG]: FILTER (over the event array) must give true.
jqok() {
	local desc=$1 filter=$2 diag=${3:-}
	if jq -e -s --arg SRV "$SRV" --arg CLI "$CLI" --arg EXT "$EXT" --arg BCAST "$BCAST" \
		--arg SN "$SRV_NAME" --arg WG "$WORKGROUP" --arg CN "$CLI_NAME" \
		--arg U "$LAB_USER" --arg SHARE "$SHARE" --arg GET "$GETFILE" --arg PUT "$PUTFILE" \
		"$JQDEFS $filter" "$NDJSON" >/dev/null 2>&1; then
		ok "$desc"
	else
		local d=""
		[ -n "$diag" ] && d=$(jq -c -s --arg SRV "$SRV" --arg CLI "$CLI" --arg EXT "$EXT" \
			--arg SN "$SRV_NAME" --arg U "$LAB_USER" "$JQDEFS $diag" "$NDJSON" 2>&1)
		bad "$desc" "$d"
	fi
}

# tshark's view of the capture: proves the lab produced the traffic, so a
# failing wiresift assertion is wiresift's, not the lab's.
check_capture() {
	echo "capture (tshark):"
	if ! command -v tshark >/dev/null 2>&1; then
		bad "tshark is installed (needed to validate the capture)"
		return
	fi
	local n
	tsh() { tshark -r "$CAP" -Y "$1" 2>/dev/null | wc -l; }
	n=$(tsh "nbss.type == 0x81 && nbss.called_name contains \"$SRV_NAME\" && nbss.calling_name contains \"$CLI_NAME\" && ip.src == $CLI")
	[ "$n" -ge 1 ] && ok "NBSS session request $CLI_NAME -> $SRV_NAME<20> ($n)" || bad "NBSS session request $CLI_NAME -> $SRV_NAME<20> (found $n)"
	n=$(tsh "nbss.type == 0x82")
	[ "$n" -ge 1 ] && ok "NBSS positive session response ($n)" || bad "NBSS positive session response (found $n)"
	n=$(tsh "ntlmssp.auth.username == \"$LAB_USER\" && ip.src == $CLI")
	[ "$n" -ge 2 ] && ok "NTLMSSP auth as $LAB_USER from the client: $n (>= 2)" || bad "NTLMSSP auth as $LAB_USER from the client: $n (want >= 2)"
	n=$(tsh "(smb2.nt_status == 0xc000006d || smb.nt_status == 0xc000006d) && ip.dst == $EXT")
	[ "$n" -eq 12 ] && ok "STATUS_LOGON_FAILURE to the attacker: 12" || bad "STATUS_LOGON_FAILURE to the attacker: $n (want 12)"
	n=$(tsh "ntlmssp.messagetype == 3 && ntlmssp.auth.username == \"NULL\" && ip.src == $CLI")
	[ "$n" -ge 1 ] && ok "anonymous NTLMSSP auth from the client ($n)" || bad "anonymous NTLMSSP auth from the client (found $n)"
	n=$(tsh "nbns.flags.response == 1 && nbns.type == 33 && nbns.netbios_name contains \"$SRV_NAME\"")
	[ "$n" -ge 1 ] && ok "NBNS node status response listing $SRV_NAME ($n)" || bad "NBNS node status response listing $SRV_NAME (found $n)"
	n=$(tsh "nbns.flags.response == 0 && nbns.flags.opcode == 0 && nbns.name contains \"$SRV_NAME\" && ip.src == $CLI && ip.dst == $BCAST")
	[ "$n" -ge 1 ] && ok "NBNS broadcast query for $SRV_NAME ($n)" || bad "NBNS broadcast query for $SRV_NAME (found $n)"
	n=$(tsh "nbns.flags.response == 0 && nbns.flags.opcode == 0 && nbns.name contains \"$SRV_NAME\" && ip.src == $CLI && ip.dst == $SRV")
	[ "$n" -ge 1 ] && ok "NBNS unicast query for $SRV_NAME ($n)" || bad "NBNS unicast query for $SRV_NAME (found $n)"
	n=$(tsh "browser.server == \"$SRV_NAME\"")
	[ "$n" -ge 1 ] && ok "browser announcements of $SRV_NAME ($n)" || bad "browser announcements of $SRV_NAME (found $n)"
	n=$(tsh "smb && ip.src == $CLI")
	[ "$n" -ge 1 ] && ok "SMB1 from the client ($n)" || bad "SMB1 from the client (found $n)"
	n=$(tsh "smb2.tree contains \"$SHARE\"")
	[ "$n" -ge 1 ] && ok "SMB2 tree connect to $SHARE ($n)" || bad "SMB2 tree connect to $SHARE (found $n)"
	n=$(tsh "smb2.filename contains \"$PUTFILE\"")
	[ "$n" -ge 1 ] && ok "SMB2 create of $PUTFILE ($n)" || bad "SMB2 create of $PUTFILE (found $n)"
}

# Findings expected, and why (exactly these kinds, no others):
#   password_guessing  12 STATUS_LOGON_FAILURE logins from $EXT against the
#                      server (threshold 3 in 5 min)
#   guess_succeeded    $EXT then logs in with the right password
#   smb1_in_use        the client's NT1 session over 139 (and smbclient -L's
#                      SMB1 reconnect for the workgroup listing)
#   null_session       smbclient -L -N -U '': an NTLMSSP AUTHENTICATE with an
#                      empty user and empty responses, which Samba accepts
#                      (restrict anonymous = 0) and then serves IPC$. Samba
#                      4.17 answers it with SessionFlags 0 (SMB2) / Action 0
#                      (SMB1): no IS_NULL or GUEST bit, so "anonymous" can
#                      only be read from the NTLMSSP message. It happens twice:
#                      SMB3 on 445 (srvsvc) and SMB1 on 139 (the workgroup
#                      listing smbclient reconnects for, NetServerEnum2).
#   share_enumeration  smbclient -L calls srvsvc NetShareEnumAll over IPC$
#   exposed_service    public $EXT used SMB on 445 (the guesses) and 139 (the
#                      last login) of the private server
# Not expected: password_spraying (one user name), user_enumeration (no
# samr/lsarpc listing), port_scan (two ports), nonstandard_port, trojan_port.
EXPECTED_KINDS='["exposed_service","guess_succeeded","null_session","password_guessing","share_enumeration","smb1_in_use"]'

check_wiresift() {
	echo "wiresift NDJSON:"
	NDJSON=$OUTDIR/events.ndjson
	REPORT=$OUTDIR/report.txt
	local rc
	"$WS" analyze -q --json - "$CAP" > "$NDJSON" 2>"$OUTDIR/ndjson.err"
	rc=$?
	[ "$rc" -eq 0 ] && ok "wiresift analyze --json exits 0" || bad "wiresift analyze --json exits 0 (got $rc)" "$(cat "$OUTDIR/ndjson.err")"
	if jq -e -s 'length > 0' "$NDJSON" >/dev/null 2>&1; then
		ok "NDJSON parses ($(wc -l < "$NDJSON") events)"
	else
		bad "NDJSON parses" "$(head -c 300 "$NDJSON")"
		return
	fi

	# logins
	jqok "login: >= 1 success as $LAB_USER from the client over 445 (SMB3)" \
		'[logins | select(.src_ip == $CLI and .dest_port == 445 and user_is($U) and (.login.success | yes))] | length >= 1' \
		'[logins | .login + {src_ip, dest_port}]'
	jqok "login: >= 1 success as $LAB_USER from the client over 139 (SMB1)" \
		'[logins | select(.src_ip == $CLI and .dest_port == 139 and user_is($U) and (.login.success | yes))] | length >= 1' \
		'[logins | select(.src_ip == $CLI) | .login + {dest_port}]'
	jqok "login: exactly 12 failures from the attacker, all $LAB_USER, STATUS_LOGON_FAILURE" \
		'[logins | select(.src_ip == $EXT and (.login.success | no))] | length == 12 and all(.[]; user_is($U) and .login.status_name == "STATUS_LOGON_FAILURE")' \
		'[logins | select(.src_ip == $EXT) | [.login.user, .login.success, .login.status_name]]'
	jqok "login: one success from the attacker as $LAB_USER, after the 12 failures" \
		'[logins | select(.src_ip == $EXT)] as $a
		 | [$a[] | select(.login.success | yes)] as $s
		 | ($s | length) == 1 and ($s[0] | user_is($U))
		   and ([$a[] | select(.login.success | no) | .timestamp] | max) < $s[0].timestamp' \
		'[logins | select(.src_ip == $EXT) | [.timestamp, .login.success]]'
	jqok "login: the anonymous listing (anonymous true, success) from the client" \
		'[logins | select(.src_ip == $CLI and (.login.anonymous == true) and (.login.success | yes))] | length >= 1' \
		'[logins | select(.src_ip == $CLI) | .login]'

	# NetBIOS
	jqok "netbios ssn: session request to $SRV_NAME<20> from $CLI_NAME<00>" \
		'[body("netbios") | select(.service == "ssn" and (.ssn_type | num(129; "0x81"))
		   and (.called | isname($SN; "20")) and (.calling | isname($CN; "00")))] | length >= 1' \
		'[body("netbios") | select(.service == "ssn") | {ssn_type, called, calling}] | .[:4]'
	jqok "netbios ssn: positive session response on the request's flow" \
		'[ev("netbios") | select(.netbios.service == "ssn" and (.netbios.ssn_type | num(129; "0x81"))
		   and (.netbios.calling | isname($CN; "00"))) | .flow_id] as $f
		 | [ev("netbios") | select(.netbios.service == "ssn" and (.netbios.ssn_type | num(130; "0x82"))
		   and (.flow_id as $x | $f | index([$x]) != null))] | length >= 1' \
		'[ev("netbios") | select(.netbios.service == "ssn") | [.flow_id, .netbios.ssn_type]] | .[:8]'
	jqok "netbios ns: node status response holds $SRV_NAME<00>, $SRV_NAME<20>, $WORKGROUP<00> group, and a unit_id" \
		'[body("netbios") | select(.service == "ns" and (.response | yes) and ((.status // []) | length) > 0)
		  | select(any(.status[]; entry | isname($SN; "00"))
		       and any(.status[]; entry | isname($SN; "20"))
		       and any(.status[]; entry | isname($WG; "00") and .type == "group")
		       and (.unit_id != null))] | length >= 1' \
		'[body("netbios") | select(.service == "ns" and ((.status // []) | length) > 0) | {status, unit_id, has_unit_id}] | .[:1]'
	jqok "netbios ns: name queries for $SRV_NAME, broadcast (<00>) and unicast (<20>)" \
		'[ev("netbios") | select(.netbios.service == "ns" and (.netbios.response | no) and .netbios.opcode == 0
		   and (.netbios.qname | isname($SN; "00") or isname($SN; "20")) and .src_ip == $CLI) | .dest_ip] as $d
		 | ($d | index([$BCAST]) != null) and ($d | index([$SRV]) != null)' \
		'[ev("netbios") | select(.netbios.service == "ns" and .src_ip == $CLI) | [.dest_ip, .netbios.opcode, .netbios.qname]] | .[:6]'
	jqok "netbios dgm: browser announcement of $SRV_NAME from the server" \
		'[ev("netbios") | select(.src_ip == $SRV and .netbios.service == "dgm" and (.netbios.has_browser // true)
		   and ((.netbios.browser.server // "") | ascii_upcase) == $SN)] | length >= 1' \
		'[body("netbios") | select(.service == "dgm") | .browser] | .[:3]'

	# SMB
	jqok "smb: events on share ...\\$SHARE" \
		'[body("smb") | select((.share // "") | ascii_downcase | endswith("\\" + $SHARE))] | length >= 1' \
		'[body("smb") | .share] | unique'
	jqok "smb: the get ($GETFILE) and the put ($PUTFILE) by file name" \
		'[body("smb") | .filename // "" | ascii_downcase] as $f
		 | any($f[]; endswith($GET)) and any($f[]; endswith($PUT))' \
		'[body("smb") | .filename] | unique'
	jqok "smb: version 1 and version 2 or 3 both seen" \
		'[body("smb") | .version] as $v | ($v | index([1]) != null) and (($v | index([2]) != null) or ($v | index([3]) != null))' \
		'[body("smb") | .version] | unique'

	# findings
	jqok "findings: exactly the kinds $EXPECTED_KINDS" \
		"[body(\"finding\") | .kind] | unique == $EXPECTED_KINDS" \
		'[body("finding") | .kind] | unique'
	jqok "finding password_guessing: source $EXT, target $SRV" \
		'[ev("finding") | select(.finding.kind == "password_guessing")] | length >= 1 and all(.[]; .src_ip == $EXT and .dest_ip == $SRV)' \
		'[ev("finding") | select(.finding.kind == "password_guessing") | [.src_ip, .dest_ip, .finding.count]]'
	jqok "finding guess_succeeded: source $EXT" \
		'[ev("finding") | select(.finding.kind == "guess_succeeded")] | length >= 1 and all(.[]; .src_ip == $EXT)' \
		'[ev("finding") | select(.finding.kind == "guess_succeeded") | [.src_ip, .dest_ip]]'
	jqok "finding exposed_service: from $EXT, on exactly ports 139 and 445" \
		'[ev("finding") | select(.finding.kind == "exposed_service")] | all(.[]; .src_ip == $EXT and .dest_ip == $SRV) and ([.[].dest_port] | unique) == [139, 445]' \
		'[ev("finding") | select(.finding.kind == "exposed_service") | [.src_ip, .dest_ip, .dest_port]]'
	jqok "finding smb1_in_use: involves the client and the server" \
		'[ev("finding") | select(.finding.kind == "smb1_in_use" and .src_ip == $CLI and .dest_ip == $SRV)] | length >= 1' \
		'[ev("finding") | select(.finding.kind == "smb1_in_use") | [.src_ip, .dest_ip]]'
	jqok "finding null_session: source the client" \
		'[ev("finding") | select(.finding.kind == "null_session")] | length >= 1 and all(.[]; .src_ip == $CLI)' \
		'[ev("finding") | select(.finding.kind == "null_session") | [.src_ip, .dest_ip]]'
	jqok "finding share_enumeration: source the client" \
		'[ev("finding") | select(.finding.kind == "share_enumeration")] | length >= 1 and all(.[]; .src_ip == $CLI)' \
		'[ev("finding") | select(.finding.kind == "share_enumeration") | [.src_ip, .dest_ip]]'

	echo "wiresift report:"
	"$WS" analyze "$CAP" > "$REPORT" 2>"$OUTDIR/report.err"
	rc=$?
	[ "$rc" -eq 0 ] && ok "wiresift analyze (report) exits 0" || bad "wiresift analyze (report) exits 0 (got $rc)" "$(cat "$OUTDIR/report.err")"
	local want got missing title
	want=$(jq -s '[.[] | select(.event_type == "finding")] | length' "$NDJSON")
	got=$(grep -cE '^\[(INFO|LOW|MEDIUM|HIGH|CRITICAL)\] ' "$REPORT")
	[ "$want" = "$got" ] && ok "report: as many findings as the NDJSON ($got)" || bad "report: as many findings as the NDJSON (report $got, NDJSON $want)"
	missing=""
	while IFS= read -r title; do
		grep -qF -- "$title" "$REPORT" || missing="$missing$title"$'\n'
	done < <(jq -r -s '.[] | select(.event_type == "finding") | .finding.title' "$NDJSON")
	[ -z "$missing" ] && ok "report: every finding's title" || bad "report: every finding's title" "$missing"
	local word
	for word in "$LAB_USER" "$SHARE" "$SRV_NAME"; do
		grep -qiF -- "$word" "$REPORT" && ok "report: mentions $word" || bad "report: mentions $word"
	done
}

# ---------------------------------------------------------------------------
echo "lab-smb: Samba in network namespaces, SMB1/SMB3, NetBIOS, password guessing"
if [ ! -x "$WS" ]; then
	bad "wiresift binary $WS exists"
	echo "lab-smb: $PASS passed, $FAIL failed"
	exit 1
fi
if [ -n "$PCAP_IN" ]; then
	CAP=$PCAP_IN
	OUTDIR=$(mktemp -d /tmp/wiresift-labsmb-out.XXXXXX)
	trap 'rm -rf "$OUTDIR"' EXIT
	echo "  assertions only, on $CAP"
else
	if run_lab; then
		ok "lab ran, capture $(stat -c %s "$PCAP") bytes (kept in $KEEP/last.pcap)"
	else
		bad "lab ran"
		echo "lab-smb: $PASS passed, $FAIL failed"
		exit 1
	fi
	CAP=$KEEP/last.pcap
	OUTDIR=$KEEP
fi
check_capture
check_wiresift
echo "lab-smb: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
