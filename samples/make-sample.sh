#!/usr/bin/env bash
# make-sample.sh - build samples/sample.pcap for `make demo` from real servers
# and clients talking to each other inside private network namespaces.
#
#   sudo samples/make-sample.sh [OUTPUT.pcap]      (default: samples/sample.pcap)
#
# Topology (everything exists only inside namespaces this script creates;
# nothing is connected to the host's own network or to the internet):
#
#   ws-cli  eth0 10.77.0.20/24    --+
#   ws-srv  eth0 10.77.0.10/24      +-- br0 (bridge inside namespace ws-br)
#                203.0.113.10/24  --+      capture: tcpdump on port p-srv
#   ws-ext  eth0 203.0.113.66/24  --+      (the server's bridge port, Ethernet)
#
# 203.0.113.0/24 is TEST-NET-3 (RFC 5737) documentation space, used here as a
# pretend "public" network. The attacker in ws-ext talks to the server's LAN
# address (an on-link route, as through a port forward), so the capture shows
# SMB, FTP and SSH used between a public and a private address.  ws-srv runs smbd+nmbd (Samba), vsftpd and sshd
# with private configs (samples/lab/*.in), user accounts that exist only in a
# private mount namespace (bind-mounted copies of /etc/passwd, /etc/shadow,
# /etc/group), and private state directories in a temp dir.
#
# Every loop is bounded in count and every client command in time; all
# servers and tcpdump are stopped by PID and the namespaces deleted on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE/sample.pcap}
case "$OUT" in /*) ;; *) OUT=$PWD/$OUT ;; esac

if [ "$(id -u)" -ne 0 ]; then
    echo "make-sample.sh: must run as root (sudo $0)" >&2
    exit 1
fi

# --- packages (only the missing ones) ---------------------------------------
need_pkgs=()
for spec in smbd:samba smbclient:smbclient nmblookup:samba-common-bin \
            vsftpd:vsftpd sshd:openssh-server ssh:openssh-client \
            ssh-keygen:openssh-client sshpass:sshpass tcpdump:tcpdump \
            ip:iproute2 ping:iputils-ping curl:curl openssl:openssl unshare:util-linux \
            tshark:tshark; do
    cmd=${spec%%:*} pkg=${spec#*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
        need_pkgs+=("$pkg")
    fi
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
    echo "== installing: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${need_pkgs[@]}"
fi

# --- private mount namespace (lab users never touch the real /etc/passwd) ---
if [ -z "${WS_LAB_UNSHARED:-}" ]; then
    exec env WS_LAB_UNSHARED=1 unshare --mount --propagation private -- \
        bash "${BASH_SOURCE[0]}" "$OUT"
fi

NS_SRV=ws-srv NS_CLI=ws-cli NS_EXT=ws-ext NS_BR=ws-br
ALL_NS="$NS_SRV $NS_CLI $NS_EXT $NS_BR"
SRV_LAN=10.77.0.10 CLI_LAN=10.77.0.20 LAN_BCAST=10.77.0.255
SRV_PUB=203.0.113.10 EXT_PUB=203.0.113.66

# Lab accounts (lab-only credentials, they exist nowhere else).
LAB_USER=alice
LAB_PASS=Summer2024
LAB_UID=47001

PIDS=()
LAB=""

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
say()   { printf '== [%5ss] %s\n' "$(elapsed)" "$*"; }
T0=$(date +%s%N)
elapsed() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

kill_ns_procs() {   # processes still inside one of *our* namespaces
    local ns=$1 pid
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
        kill -9 "$pid" 2>/dev/null || true
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
    local rc=$? pid
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
trap cleanup EXIT
trap 'exit 130' INT TERM

# Leftovers of an interrupted earlier run (same fixed names = ours).
del_namespaces

LAB=$(mktemp -d /tmp/wiresift-lab.XXXXXX)
chmod 755 "$LAB"
mkdir -p "$LAB"/{log,run,bin,ssh/authorized_keys,ftp/anon/pub,ftp/home,ftp/empty} \
         "$LAB"/samba/{private,lock,state,cache,run,ncalrpc,bind-dns} \
         "$LAB"/samba/shares/{public,data} "$LAB"/work-cli "$LAB"/work-ext
chmod 700 "$LAB/samba/private"

subst() { sed -e "s|@LAB@|$LAB|g" -e "s|@NAME@|${2:-}|g" "$1"; }
subst "$HERE/lab/smb.conf.in"         > "$LAB/smb.conf"
subst "$HERE/lab/smb-client.conf.in" CLIENTPC > "$LAB/smb-cli.conf"
subst "$HERE/lab/smb-client.conf.in" WIN-7QK2M9 > "$LAB/smb-ext.conf"
subst "$HERE/lab/vsftpd.conf.in"      > "$LAB/vsftpd.conf"
subst "$HERE/lab/sshd_config.in"      > "$LAB/sshd_config"
for n in CLIENTPC WIN-7QK2M9; do
    mkdir -p "$LAB/client-$n"/{private,lock,state,cache}
done

# --- lab user, visible only in this mount namespace -------------------------
hash=$(openssl passwd -6 -salt wiresiftlab "$LAB_PASS")
for f in passwd shadow group gshadow; do
    cp -p "/etc/$f" "$LAB/etc-$f"
done
echo "$LAB_USER:x:$LAB_UID:$LAB_UID:Alice Lab:$LAB/ftp/home:/bin/bash" >> "$LAB/etc-passwd"
echo "$LAB_USER:$hash:19700:0:99999:7:::"                              >> "$LAB/etc-shadow"
echo "$LAB_USER:x:$LAB_UID:"                                           >> "$LAB/etc-group"
echo "$LAB_USER:!::"                                                   >> "$LAB/etc-gshadow"
for f in passwd shadow group gshadow; do
    mount --bind "$LAB/etc-$f" "/etc/$f"
done

# --- content ----------------------------------------------------------------
printf 'Welcome to the LABNET public FTP area.\nNothing secret here.\n' > "$LAB/ftp/anon/pub/README.txt"
printf 'quarterly numbers: 42, 17, 99\n' > "$LAB/ftp/home/report.csv"
printf 'Public notice: the coffee machine is fixed.\n' > "$LAB/samba/shares/public/notice.txt"
printf 'alice budget draft v3\nline 2\n' > "$LAB/samba/shares/data/budget.txt"
printf 'notes from the client PC\n' > "$LAB/work-cli/upload-smb.txt"
printf 'ftp upload from the client PC\n' > "$LAB/work-cli/upload-ftp.txt"
chown -R "$LAB_UID:$LAB_UID" "$LAB/ftp/home" "$LAB/samba/shares/data"
printf '%s\n%s\n' "$LAB_PASS" "$LAB_PASS" | \
    smbpasswd -c "$LAB/smb.conf" -L -a -s "$LAB_USER" >/dev/null

ssh-keygen -q -t ed25519 -N '' -C 'filesrv host key' -f "$LAB/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C 'alice@clientpc' -f "$LAB/ssh/alice_key"
cp "$LAB/ssh/alice_key.pub" "$LAB/ssh/authorized_keys/$LAB_USER"
mkdir -p /run/sshd   # sshd's compiled-in privilege-separation directory

# Raw FTP client over bash /dev/tcp: ftp-raw.sh HOST CMD...; every reply read
# has a 5 s timeout, so a session always ends.
cat > "$LAB/bin/ftp-raw.sh" <<'FTPRAW'
#!/usr/bin/env bash
host=$1; shift
exec 3<>"/dev/tcp/$host/21" || exit 1
reply() {
    local line
    while IFS= read -r -t 5 line <&3; do
        line=${line%$'\r'}
        printf '   < %.90s\n' "$line"
        [[ $line =~ ^[0-9]{3}\  ]] && return 0
    done
    return 1
}
reply || exit 1
for c in "$@"; do
    printf '   > %.90s\n' "$c"
    printf '%s\r\n' "$c" >&3
    reply || break
done
exec 3>&-
FTPRAW
chmod 755 "$LAB/bin/ftp-raw.sh"

# --- network ----------------------------------------------------------------
for ns in $ALL_NS; do
    ip netns add "$ns"
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    in_ns "$ns" ip link set lo up
done
in_ns $NS_BR ip link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
for h in srv:$NS_SRV:02:77:00:00:00:10 cli:$NS_CLI:02:77:00:00:00:20 ext:$NS_EXT:02:77:00:00:00:66; do
    short=${h%%:*} rest=${h#*:}; ns=${rest%%:*} mac=${rest#*:}
    ip link add eth0 netns "$ns" address "$mac" type veth peer name "p-$short" netns $NS_BR
    in_ns "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 2>/dev/null || true
    in_ns $NS_BR ip link set "p-$short" master br0 up
done
in_ns $NS_BR ip link set br0 up
in_ns $NS_SRV ip addr add $SRV_LAN/24 brd $LAN_BCAST dev eth0
in_ns $NS_SRV ip addr add $SRV_PUB/24 brd 203.0.113.255 dev eth0
in_ns $NS_CLI ip addr add $CLI_LAN/24 brd $LAN_BCAST dev eth0
in_ns $NS_EXT ip addr add $EXT_PUB/24 brd 203.0.113.255 dev eth0
for ns in $NS_SRV $NS_CLI $NS_EXT; do in_ns "$ns" ip link set eth0 up; done
# The attacker reaches the server's LAN address directly (as through a port
# forward): a public client talking to a private server, the exposure case.
in_ns $NS_EXT ip route add 10.77.0.0/24 dev eth0

# --- servers (smbd, vsftpd, sshd now; nmbd starts during the capture) -------
start_bg() {   # start_bg NAME NS CMD... ; records the PID
    local name=$1 ns=$2; shift 2
    # own session/process group: samba's daemons signal their whole group
    # on shutdown, which must not reach this script
    ip netns exec "$ns" setsid "$@" >"$LAB/log/$name.out" 2>&1 </dev/null &
    PIDS+=("$!")
    echo "$name:$!" >> "$LAB/run/pids"
}
start_bg smbd   $NS_SRV /usr/sbin/smbd --foreground --no-process-group -s "$LAB/smb.conf"
start_bg vsftpd $NS_SRV /usr/sbin/vsftpd "$LAB/vsftpd.conf"
start_bg sshd   $NS_SRV /usr/sbin/sshd -D -f "$LAB/sshd_config" -E "$LAB/log/sshd.log"

wait_port() {  # wait_port PORT: up to 10 s for a listener in ws-srv
    for _ in $(seq 1 50); do
        in_ns $NS_SRV ss -Hltn "sport = :$1" | grep -q . && return 0
        sleep 0.2
    done
    echo "server on port $1 did not start; logs in $LAB/log:" >&2
    tail -n 20 "$LAB"/log/* >&2
    return 1
}
wait_port 445; wait_port 139; wait_port 21; wait_port 22

# --- capture ----------------------------------------------------------------
PCAP_TMP=$LAB/capture.pcap
in_ns $NS_BR setsid tcpdump -i p-srv -s 262144 -U -n -Z root -w "$PCAP_TMP" \
    >"$LAB/log/tcpdump.out" 2>&1 </dev/null &
TCPDUMP_PID=$!
PIDS+=("$TCPDUMP_PID")
for _ in $(seq 1 50); do
    grep -q 'listening on' "$LAB/log/tcpdump.out" && break
    sleep 0.1
done
sleep 1
T0=$(date +%s%N)

SMBC_CLI=(smbclient -s "$LAB/smb-cli.conf")
SMBC_EXT=(smbclient -s "$LAB/smb-ext.conf")
SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
          -o ConnectTimeout=5)
cli() { timeout 15 ip netns exec $NS_CLI "$@" 2>&1 | sed 's/^/   | /' || true; }
ext() { timeout 15 ip netns exec $NS_EXT "$@" 2>&1 | sed 's/^/   | /' || true; }

# 1. ICMP ------------------------------------------------------------------
say "1. ping client -> server"
cli ping -n -c 2 -i 0.5 -W 1 $SRV_LAN
sleep 1

# 2. NetBIOS name service / browser -----------------------------------------
say "2. nmbd starts: name registrations, host announcement, browser election"
start_bg nmbd $NS_SRV /usr/sbin/nmbd --foreground --no-process-group -s "$LAB/smb.conf"
sleep 4
say "   nmblookup broadcast query for FILESRV"
cli nmblookup -s "$LAB/smb-cli.conf" -B $LAN_BCAST FILESRV
sleep 1
say "   nmblookup unicast query for FILESRV"
cli nmblookup -s "$LAB/smb-cli.conf" -U $SRV_LAN FILESRV
sleep 1
say "   nmblookup node status (-A)"
cli nmblookup -s "$LAB/smb-cli.conf" -A $SRV_LAN
say "   waiting for nmbd to win the browser election (local master announcement)"
for _ in $(seq 1 40); do   # at most ~30 s
    if in_ns $NS_BR tshark -r "$PCAP_TMP" -Y 'browser.command == 0x0f' 2>/dev/null | grep -q .; then
        break
    fi
    sleep 0.75
done
sleep 1

# 3. SMB --------------------------------------------------------------------
say "3. SMB: anonymous share listing"
cli "${SMBC_CLI[@]}" -L //$SRV_LAN -N -U ''
sleep 1
say "   SMB3 login as $LAB_USER: ls, get, put"
cli "${SMBC_CLI[@]}" //$SRV_LAN/data -U "$LAB_USER%$LAB_PASS" -m SMB3 \
    -c "lcd $LAB/work-cli; ls; get budget.txt; put upload-smb.txt"
sleep 1
say "   SMB1 (NT1) login over port 139 with NetBIOS session request"
cli "${SMBC_CLI[@]}" //FILESRV/public -I $SRV_LAN -p 139 -n CLIENTPC -m NT1 \
    --option='client min protocol=NT1' -U "$LAB_USER%$LAB_PASS" \
    -c "lcd $LAB/work-cli; ls; get notice.txt"
sleep 1
say "   SMB password guessing from $EXT_PUB (6 wrong, then the right one)"
for guess in password 123456 alice2024 Welcome1 qwerty letmein; do   # 6, bounded
    ext "${SMBC_EXT[@]}" //$SRV_LAN/data -U "$LAB_USER%$guess" -c ls
    sleep 0.3
done
ext "${SMBC_EXT[@]}" //$SRV_LAN/data -U "$LAB_USER%$LAB_PASS" -c ls
sleep 1

# 4. FTP --------------------------------------------------------------------
say "4. FTP: anonymous, passive LIST + RETR"
cli curl -sS --disable-epsv --max-time 10 ftp://$SRV_LAN/pub/ \
    ftp://$SRV_LAN/pub/README.txt -o /dev/null -o "$LAB/work-cli/README.txt"
sleep 1
say "   FTP: $LAB_USER, active mode (PORT) RETR and STOR"
cli curl -sS --ftp-port - --disable-eprt --max-time 10 -u "$LAB_USER:$LAB_PASS" \
    ftp://$SRV_LAN/report.csv -o "$LAB/work-cli/report.csv"
cli curl -sS --ftp-port - --disable-eprt --max-time 10 -u "$LAB_USER:$LAB_PASS" \
    -T "$LAB/work-cli/upload-ftp.txt" ftp://$SRV_LAN/
sleep 1
say "   FTP: 4 wrong passwords from $EXT_PUB"
for guess in admin ftp 12345678 Password1; do   # 4, bounded
    ext curl -sS --max-time 10 -u "$LAB_USER:$guess" ftp://$SRV_LAN/
done
sleep 1
say "   FTP: burst of 12 CWD commands in one session"
ext "$LAB/bin/ftp-raw.sh" $SRV_LAN "USER anonymous" "PASS probe@example.org" \
    "CWD /pub" "CWD /etc" "CWD /root" "CWD /home" "CWD /var/www" "CWD /backup" \
    "CWD /admin" "CWD /private" "CWD /incoming" "CWD /tmp" "CWD /../.." "CWD /pub" \
    "QUIT"
sleep 1
say "   FTP: USER with a 600-byte argument"
ext "$LAB/bin/ftp-raw.sh" $SRV_LAN "USER $(printf 'A%.0s' $(seq 1 600))" "QUIT"
sleep 1

# 5. SSH --------------------------------------------------------------------
say "5. SSH: key-based login as $LAB_USER, runs uname -a"
cli ssh "${SSH_OPTS[@]}" -o BatchMode=yes -o IdentitiesOnly=yes \
    -i "$LAB/ssh/alice_key" "$LAB_USER@$SRV_LAN" uname -a
sleep 1
say "   SSH: 5 wrong passwords from $EXT_PUB"
for guess in root toor changeme alice123 Spring2024; do   # 5, bounded
    ext timeout 10 sshpass -p "$guess" ssh "${SSH_OPTS[@]}" \
        -o PubkeyAuthentication=no -o PreferredAuthentications=password \
        -o NumberOfPasswordPrompts=1 "$LAB_USER@$SRV_LAN" true
done
sleep 1

# 6. port probe ---------------------------------------------------------------
say "6. TCP connect probe of 25 ports from $EXT_PUB"
PORTS="21 22 23 25 53 80 110 111 135 139 143 443 445 993 995 1433 1521 2049 3306 3389 5432 5900 6379 8080 8443"
ip netns exec $NS_EXT bash -c '
    open=""
    for p in '"$PORTS"'; do
        if timeout 1 bash -c "</dev/tcp/'"$SRV_LAN"'/$p" 2>/dev/null; then open="$open $p"; fi
        sleep 0.05
    done
    echo "   | open:$open"' || true
sleep 2

# --- stop capture -------------------------------------------------------------
say "stopping capture"
kill -INT $TCPDUMP_PID
for _ in $(seq 1 25); do kill -0 $TCPDUMP_PID 2>/dev/null || break; sleep 0.2; done
cat "$LAB/log/tcpdump.out" | sed 's/^/   tcpdump: /'
mkdir -p "$(dirname "$OUT")"
cp "$PCAP_TMP" "$OUT"
chmod 644 "$OUT"
ls -l "$OUT"
if command -v capinfos >/dev/null 2>&1; then capinfos -c -u -d -l "$OUT" | sed 's/^/   /'; fi
