#!/usr/bin/env python3
"""gen_iana.py - generate src/kb/iana_ports.def from the IANA service names.

Source: /etc/services (netbase), which is "updated from" the IANA Service Name
and Transport Protocol Port Number Registry. Only the part above its line
"The remaining port numbers are not as allocated by IANA" is read, only tcp and
udp entries, and rows are emitted for ports 0-1023 (the well-known range, R14).

Merge with the curated table (src/kb/ports.def): a (port, transport) pair that
a ports.def row covers is left out here (the curated row wins and keeps its
note), and the generator checks that such a row uses IANA's name (or one of
its aliases) and says "IANA" in its source, so that IANA's name appears even
where a seed named the service differently. A mismatch is an error.

Usage: src/kb/gen_iana.py [--services FILE] [--ports-def FILE] [--out FILE]
Run it from anywhere after editing ports.def or when netbase is updated.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IANA_END = "The remaining port numbers are not as allocated by IANA"
TCP, UDP = 1, 2
L4_TOKENS = {"TCP": TCP, "UDP": UDP, "TCP_UDP": TCP | UDP}


def read_services(path):
    """(port, l4) -> (name, [aliases], comment) for the IANA part of the file."""
    entries = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if IANA_END in line:
                break
            comment = ""
            if "#" in line:
                line, comment = line.split("#", 1)
            fields = line.split()
            if len(fields) < 2 or "/" not in fields[1]:
                continue
            port_s, proto = fields[1].split("/", 1)
            if proto not in ("tcp", "udp") or not port_s.isdigit():
                continue
            key = (int(port_s), TCP if proto == "tcp" else UDP)
            if key not in entries:
                entries[key] = (fields[0], fields[2:], comment.strip())
    return entries


def split_args(text):
    """Split a macro argument list at top-level commas, honouring strings."""
    args, cur, depth, i = [], [], 0, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    args.append("".join(cur).strip())
    return args


def c_string_value(arg):
    """The value of a (possibly concatenated) C string literal, or None for NULL."""
    if arg == "NULL":
        return None
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', arg))


def read_ports_def(path):
    """[(port, l4, service, source)] from the WS_PORT rows of ports.def."""
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    rows = []
    for m in re.finditer(r"\bWS_PORT\(", text):
        i, depth, in_str = m.end(), 1, False
        while depth:
            c = text[i]
            if in_str:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        args = split_args(text[m.end():i - 1])
        if len(args) != 8:
            sys.exit("gen_iana: ports.def: WS_PORT with %d arguments: %s" % (len(args), args[:3]))
        rows.append((int(args[0]), L4_TOKENS[args[1]], c_string_value(args[2]),
                     c_string_value(args[7])))
    return rows


def c_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def netbase_version():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "netbase"],
                             capture_output=True, text=True, check=False)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--services", default="/etc/services")
    ap.add_argument("--ports-def", default=os.path.join(HERE, "ports.def"))
    ap.add_argument("--out", default=os.path.join(HERE, "iana_ports.def"))
    opt = ap.parse_args()

    iana = read_services(opt.services)
    seed = read_ports_def(opt.ports_def)

    covered = {}
    errors = []
    for port, l4, service, source in seed:
        for bit in (TCP, UDP):
            if not l4 & bit:
                continue
            covered[(port, bit)] = service
            if (port, bit) not in iana:
                continue
            name, aliases, _ = iana[(port, bit)]
            proto = "tcp" if bit == TCP else "udp"
            if service != name and service not in aliases:
                errors.append("%d/%s: ports.def says %r, IANA says %r (aliases %s)"
                              % (port, proto, service, name, aliases))
            if "IANA" not in (source or ""):
                errors.append("%d/%s: ports.def row merges IANA %r but its source lacks \"IANA\""
                              % (port, proto, name))
    if errors:
        sys.exit("gen_iana: ports.def disagrees with IANA:\n  " + "\n  ".join(errors))

    # One line per port: both transports share a row when IANA gives them the same name.
    out_rows, merged = [], []
    for port in sorted({p for p, _ in iana if p < 1024}):
        free = []
        for bit in (TCP, UDP):
            if (port, bit) not in iana:
                continue
            if (port, bit) in covered:
                merged.append("%d/%s %s" % (port, "tcp" if bit == TCP else "udp",
                                            iana[(port, bit)][0]))
            else:
                free.append(bit)
        if (len(free) == 2 and iana[(port, TCP)][0] == iana[(port, UDP)][0]):
            name = iana[(port, TCP)][0]
            comment = iana[(port, TCP)][2] or iana[(port, UDP)][2]
            out_rows.append((port, "TCP_UDP", name, comment))
            continue
        for bit in free:
            name, _, comment = iana[(port, bit)]
            out_rows.append((port, "TCP" if bit == TCP else "UDP", name, comment))

    with open(opt.out, "w", encoding="utf-8") as f:
        f.write("/*\n")
        f.write(" * iana_ports.def - IANA well-known service names, ports 0-1023.\n")
        f.write(" *\n")
        f.write(" * Generated from IANA service names via /etc/services (netbase %s) by\n"
                % netbase_version())
        f.write(" * src/kb/gen_iana.py; do not edit: edit ports.def or rerun the script.\n")
        f.write(" * Pairs that ports.def covers are left out here (the curated row\n")
        f.write(" * keeps its note and carries IANA's name, which the script checks):\n")
        line = " *  "
        for m in merged:
            if len(line) + len(m) + 2 > 78:
                f.write(line.rstrip(",") + "\n")
                line = " *  "
            line += " " + m + ","
        f.write(line.rstrip(",") + "\n")
        f.write(" *\n")
        f.write(" * WS_IANA(port, l4, service, description); l4 is TCP, UDP or TCP_UDP.\n")
        f.write(" * Description: the /etc/services comment, else the service name.\n")
        f.write(" */\n\n")
        for port, l4, name, comment in out_rows:
            desc = comment if comment else "IANA service " + name
            f.write("WS_IANA(%d, %s, %s, %s)\n" % (port, l4, c_quote(name), c_quote(desc)))
    print("gen_iana: %d rows written to %s (%d pairs merged into ports.def)"
          % (len(out_rows), opt.out, len(merged)))


if __name__ == "__main__":
    main()
