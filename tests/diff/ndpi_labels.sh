#!/bin/sh
# ndpi_labels.sh - does wiresift name the services of the nDPI captures as
# nDPI does?
#
# For every capture in $WS_CORPUS/ndpi (default: ../shared/corpus beside the
# repository) that has a .out file (nDPI's per-flow classification; format
# in the corpus README), keeps the flows nDPI labels with one of the services
# wiresift identifies (NetBIOS, SMBv1/SMBv23, FTP_CONTROL, FTP_DATA, FTPS,
# Telnet, SSH, MsSQL-TDS, Oracle, PostgreSQL, MySQL, SSDP, DNS, MDNS, LLMNR,
# HTTP, TLS; the application part of "Master.App" first, the master when the
# application is a service on top of DNS, TLS or HTTP), maps the label to
# wiresift's app_proto, and compares with the flow events of
# `wiresift analyze --json - <capture>`, matching flows by the unordered
# 5-tuple. Prints agreement per capture and in total, and every
# disagreement; exits 1 when the total agreement is below WS_NDPI_MIN
# percent (default 98), 2 when it cannot run.
#
# usage: tests/diff/ndpi_labels.sh [path/to/wiresift]   (or --self-test)
# Environment: WS_CORPUS (corpus root), WS_BIN (the binary, default
# build/wiresift; an argument wins), WS_NDPI_MIN (percent).
#
# Explained differences are lines "- `<capture> <L4> <a:port> <-> <b:port>`:
# reason" under the heading "## nDPI labels" of KNOWN-DIFFERENCES.md; they
# are marked "known" in the listing but still count as disagreements.
#
# --self-test checks the .out parsing and the label mapping on built-in
# lines, without captures or the binary.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${WS_CORPUS:-$root/../shared/corpus}
bin=${WS_BIN:-$root/build/wiresift}
min=${WS_NDPI_MIN:-98}
if [ $# -gt 0 ] && [ "$1" != --self-test ]; then
	bin=$1
	shift
fi

exec python3 - "$corpus" "$bin" "$min" "$here/KNOWN-DIFFERENCES.md" "$@" <<'PY'
import ipaddress
import json
import os
import re
import subprocess
import sys

corpus, wsbin, minpct, known_path = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
args = sys.argv[5:]

# One flow line of an nDPI report:
#   <n> <L4> <addr:port> <-> | -> <addr:port> [..][proto: M.A/Master.App][..][Confidence: X]..
FLOW_RE = re.compile(r'^\s+\d+\s+(TCP|UDP)\s+(\S+)\s+(<->|->)\s+(\S+)\s+(.*)$')
PROTO_RE = re.compile(r'\[proto: (?:[0-9.]+/)?([^\]]+)\]')
CONF_RE = re.compile(r'\[Confidence: ([^\]]+)\]')

# nDPI names of the services wiresift identifies. None: decided by port.
DIRECT = {
    'FTP_CONTROL': 'ftp', 'FTP_DATA': 'ftp-data', 'Telnet': 'telnet', 'SSH': 'ssh',
    'MsSQL-TDS': 'mssql', 'TDS': 'mssql', 'Oracle': 'oracle', 'PostgreSQL': 'pgsql',
    'MySQL': 'mysql', 'SSDP': 'ssdp', 'DNS': 'dns', 'MDNS': 'dns', 'LLMNR': 'dns',
    'HTTP': 'http', 'TLS': 'tls', 'DRDA': 'db2', 'DB2': 'db2',
    'NetBIOS': None, 'SMBv1': None, 'SMBv23': None, 'FTPS': None,
}
# Masters whose application part names a site or service, not a protocol.
CARRIERS = {'DNS', 'TLS', 'HTTP', 'FTPS'}


def split_addr(s):
    """'[2001:db8::1]:80' or '10.0.0.1:80' -> (normalized ip, port)."""
    host, port = s.rsplit(':', 1)
    host = host.strip('[]')
    return str(ipaddress.ip_address(host)), int(port)


def map_label(label, l4, ports):
    """nDPI 'Master.App' (or one name) -> wiresift app_proto, or None if not ours."""
    parts = label.split('.')
    app, master = parts[-1], parts[0]
    name = app if app in DIRECT else (master if master in CARRIERS and master in DIRECT else None)
    if name is None:
        return None
    if DIRECT[name]:
        return DIRECT[name]
    if name == 'FTPS':
        return 'ftp' if 21 in ports else 'tls'
    if name in ('SMBv1', 'SMBv23'):
        # SMB in a NetBIOS datagram (browser mailslots) is the datagram service.
        return 'smb' if l4 == 'TCP' else 'netbios-dgm'
    # NetBIOS alone: by transport and port.
    if l4 == 'TCP':
        return 'smb' if 445 in ports else 'netbios-ssn'
    if 138 in ports:
        return 'netbios-dgm'
    return 'netbios-ns'


def parse_out(text):
    """Flows of an nDPI .out report that wiresift should name."""
    flows = []
    for line in text.splitlines():
        m = FLOW_RE.match(line)
        if not m:
            continue
        l4, a, _, b, rest = m.groups()
        pm = PROTO_RE.search(rest)
        if not pm:
            continue
        label = pm.group(1)
        (ia, pa), (ib, pb) = split_addr(a), split_addr(b)
        want = map_label(label, l4, (pa, pb))
        if want is None:
            continue
        cm = CONF_RE.search(rest)
        flows.append({'l4': l4, 'a': (ia, pa), 'b': (ib, pb), 'label': label,
                      'conf': cm.group(1) if cm else '?', 'want': want})
    return flows


def fmt_end(e):
    return ('[%s]:%d' if ':' in e[0] else '%s:%d') % e


def key(l4, a, b):
    return (l4,) + tuple(sorted([a, b]))


def self_test():
    lines = '\n'.join([
        '\t1\tUDP 10.0.4.131:137 -> 10.0.5.255:137 [proto: 10/NetBIOS][IP: 0/Unknown][Confidence: DPI][x]',
        '\t6\tUDP 10.0.5.9:138 -> 10.0.5.255:138 [proto: 10.16/NetBIOS.SMBv1][Confidence: DPI]',
        '\t9\tTCP 10.19.71.184:55489 -> 10.17.113.129:139 [VLAN: 2308][proto: 10/NetBIOS][Confidence: DPI]',
        '\t1\tTCP 192.168.1.118:56848 <-> 192.168.1.187:445 [proto: 10.41/NetBIOS.SMBv23][Confidence: DPI]',
        '\t5\tTCP 172.16.8.201:49194 <-> 172.16.8.8:445 [proto: 41/SMBv23][Confidence: Match by port]',
        '\t1\tTCP [2001:db8:1::1]:64720 <-> [2001:db8:200::1]:20868 [proto: 92/SSH][Confidence: DPI]',
        '\t1\tTCP 10.238.26.36:62092 <-> 10.220.50.76:21 [proto: 311.398/FTPS.Huawei][Confidence: DPI]',
        '\t2\tUDP 1.1.1.1:5353 -> 224.0.0.251:5353 [proto: 8/MDNS][Confidence: DPI]',
        '\t3\tUDP 1.1.1.1:5000 -> 2.2.2.2:53 [proto: 5.238/DNS.ApplePush][Confidence: DPI]',
        '\t4\tTCP 1.1.1.1:5000 <-> 2.2.2.2:443 [proto: 91.118/TLS.Slack][Confidence: DPI]',
        '\t5\tTCP 1.1.1.1:5000 <-> 2.2.2.2:8080 [proto: 131/HTTP_Proxy][Confidence: Match by port]',
        '\t6\tTCP 1.1.1.1:5000 <-> 2.2.2.2:135 [proto: 370.371/DCERPC.PROFINET_IO][Confidence: DPI]',
        '\t7\tUDP 1.1.1.1:5000 <-> 2.2.2.2:88 [proto: 0/Unknown][Confidence: Unknown]',
        '\t8\tTCP 10.111.111.111:6666 -> 10.0.0.1:1433 [proto: 114/MsSQL-TDS][Confidence: Match by port]',
        'Undetected flows:',
        'not a flow line [proto: 5/DNS]',
    ])
    got = [(f['want'], f['a'], f['b'], f['conf']) for f in parse_out(lines)]
    want = [
        ('netbios-ns', ('10.0.4.131', 137), ('10.0.5.255', 137), 'DPI'),
        ('netbios-dgm', ('10.0.5.9', 138), ('10.0.5.255', 138), 'DPI'),
        ('netbios-ssn', ('10.19.71.184', 55489), ('10.17.113.129', 139), 'DPI'),
        ('smb', ('192.168.1.118', 56848), ('192.168.1.187', 445), 'DPI'),
        ('smb', ('172.16.8.201', 49194), ('172.16.8.8', 445), 'Match by port'),
        ('ssh', ('2001:db8:1::1', 64720), ('2001:db8:200::1', 20868), 'DPI'),
        ('ftp', ('10.238.26.36', 62092), ('10.220.50.76', 21), 'DPI'),
        ('dns', ('1.1.1.1', 5353), ('224.0.0.251', 5353), 'DPI'),
        ('dns', ('1.1.1.1', 5000), ('2.2.2.2', 53), 'DPI'),
        ('tls', ('1.1.1.1', 5000), ('2.2.2.2', 443), 'DPI'),
        ('mssql', ('10.111.111.111', 6666), ('10.0.0.1', 1433), 'Match by port'),
    ]
    if got != want:
        print('self-test FAILED')
        for g, w in zip(got + [None] * len(want), want + [None] * len(got)):
            if g != w:
                print('  got ', g, '\n  want', w)
        return 1
    assert key('TCP', ('b', 2), ('a', 1)) == key('TCP', ('a', 1), ('b', 2))
    assert split_addr('[2001:0db8::0001]:80') == ('2001:db8::1', 80)
    print('self-test ok: %d flows parsed and mapped' % len(got))
    return 0


def known_differences():
    """'<capture> <L4> <a:p> <-> <b:p>' -> reason, from the "nDPI labels" section."""
    known = {}
    section = None
    if not os.path.exists(known_path):
        return known
    with open(known_path, encoding='utf-8') as fh:
        for line in fh:
            if line.startswith('## '):
                section = line[3:].strip().lower()
                continue
            m = re.match(r'^- `([^`]+)`:\s*(.*)', line)
            if m and section == 'ndpi labels':
                known[' '.join(m.group(1).split())] = m.group(2)
    return known


def wiresift_flows(path):
    """unordered 5-tuple -> list of app_proto of wiresift's flow events."""
    res = subprocess.run([wsbin, 'analyze', '--json', '-', path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    if res.returncode not in (0, 1):
        raise RuntimeError('%s exited %d: %s' % (wsbin, res.returncode,
                                                  res.stderr.decode(errors='replace')[:300]))
    flows = {}
    for line in res.stdout.decode(errors='replace').splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get('event_type') != 'flow' or ev.get('proto') not in ('TCP', 'UDP'):
            continue
        a = (str(ipaddress.ip_address(ev['src_ip'])), int(ev['src_port']))
        b = (str(ipaddress.ip_address(ev['dest_ip'])), int(ev['dest_port']))
        flows.setdefault(key(ev['proto'], a, b), []).append(ev.get('app_proto') or '-')
    return flows


def main():
    if '--self-test' in args:
        return self_test()
    ndpi = os.path.join(corpus, 'ndpi')
    if not os.path.isdir(ndpi):
        print('no corpus at %s (set WS_CORPUS)' % ndpi, file=sys.stderr)
        return 2
    if not os.access(wsbin, os.X_OK):
        print('no wiresift binary at %s (set WS_BIN or build first)' % wsbin, file=sys.stderr)
        return 2
    known = known_differences()
    total = agree = explained = 0
    for out in sorted(f for f in os.listdir(ndpi) if f.endswith('.out')):
        cap = os.path.join(ndpi, out[:-4])
        if not os.path.exists(cap):
            continue
        with open(os.path.join(ndpi, out), encoding='utf-8', errors='replace') as fh:
            want = parse_out(fh.read())
        if not want:
            continue
        got = wiresift_flows(cap)
        ok = 0
        lines = []
        for f in want:
            names = got.get(key(f['l4'], f['a'], f['b']), [])
            if f['want'] in names:
                ok += 1
                continue
            ident = '%s %s %s <-> %s' % (out[:-4], f['l4'], fmt_end(f['a']), fmt_end(f['b']))
            why = known.get(ident)
            explained += why is not None
            lines.append('  DIFF %s nDPI %s (%s) -> %s; wiresift %s%s' % (
                ident, f['label'], f['conf'], f['want'],
                ','.join(names) if names else 'no such flow',
                '\n       known: ' + why if why else ''))
        total += len(want)
        agree += ok
        print('%-40s %4d/%-4d flows agree' % (out[:-4], ok, len(want)))
        for line in lines:
            print(line)
    pct = 100.0 * agree / total if total else 100.0
    print('TOTAL %d/%d flows agree (%.2f%%); %d nDPI flows labelled with our services; '
          '%d differences, %d explained in KNOWN-DIFFERENCES.md; minimum %.2f%%'
          % (agree, total, pct, total, total - agree, explained, minpct))
    return 0 if pct >= minpct else 1


sys.exit(main())
PY
