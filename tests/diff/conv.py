#!/usr/bin/env python3
"""Differential test: wiresift's flows against tshark's conversation tables.

For every capture under the corpus (default ../shared/corpus relative to the
repository; WS_CORPUS overrides), compares
  - the total packet count with tshark's frame count, and
  - per TCP/UDP conversation (unordered address:port pair) the frames and bytes
    in each direction with `tshark -q -z conv,tcp -z conv,udp`.
wiresift flows split by port reuse or timeouts are summed per 5-tuple first.

tshark prints bytes with SI units past 10 kB ("114 kB"), so bytes are compared
within the precision tshark prints; frames are compared exactly.

A capture whose differences are listed in KNOWN-DIFFERENCES.md (a line
"- `path`: reason" under the heading "## Conversations") is reported but does
not fail the test. Exit 1 on any unexplained difference.
"""
import concurrent.futures
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
UNITS = {"bytes": 1, "kB": 1000, "MB": 1000 ** 2, "GB": 1000 ** 3}
LINE = re.compile(
    r"^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+"
)


def corpus_root():
    return os.environ.get("WS_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))


def captures(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if re.search(r"\.(pcap|pcapng|cap)(\.gz)?$", f):
                out.append(os.path.join(d, f))
    return sorted(out)


def known_differences():
    path = os.path.join(HERE, "KNOWN-DIFFERENCES.md")
    known = {}
    section = None
    if not os.path.exists(path):
        return known
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        m = re.match(r"^- `([^`]+)`:\s*(.*)", line)
        if m and section and section.startswith("conversations"):
            known[m.group(1)] = m.group(2)
    return known


def norm_addr(a):
    return a.strip("[]")


def tshark_side(path):
    """{(proto, (a,pa), (b,pb)): (frames a->b, bytes a->b, unit, frames b->a, bytes b->a, unit)}, total frames"""
    res = subprocess.run(["tshark", "-n", "-r", path, "-q", "-z", "conv,tcp", "-z", "conv,udp"],
                         capture_output=True, text=True)
    convs = {}
    proto = None
    for line in res.stdout.splitlines():
        if line.startswith("TCP Conversations"):
            proto = "TCP"
        elif line.startswith("UDP Conversations"):
            proto = "UDP"
        m = LINE.match(line)
        if m and proto:
            a, pa, b, pb = norm_addr(m.group(1)), int(m.group(2)), norm_addr(m.group(3)), int(m.group(4))
            # tshark 4.0: "<-" is B to A, "->" is A to B.
            f_ba, v_ba, u_ba = int(m.group(5)), int(m.group(6)), m.group(7)
            f_ab, v_ab, u_ab = int(m.group(8)), int(m.group(9)), m.group(10)
            key = (proto, (a, pa), (b, pb))
            convs[key] = (f_ab, v_ab, u_ab, f_ba, v_ba, u_ba)
    cnt = subprocess.run(["capinfos", "-c", "-M", path], capture_output=True, text=True).stdout
    m = re.search(r"Number of packets:\s*(\d+)", cnt)
    total = int(m.group(1)) if m else None
    return convs, total


def wiresift_side(ws, path):
    res = subprocess.run([ws, "analyze", "-q", "--json", "-", path], capture_output=True, text=True,
                         errors="replace")
    flows = {}
    total = None
    for line in res.stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            return None, None, "unparsable NDJSON line: " + line[:120]
        et = ev.get("event_type")
        if et == "stats":
            total = ev["stats"]["packets"]
        if et != "flow" or ev.get("proto") not in ("TCP", "UDP"):
            continue
        c = (ev["src_ip"], ev["src_port"])
        s = (ev["dest_ip"], ev["dest_port"])
        fl = ev["flow"]
        key = (ev["proto"],) + tuple(sorted([c, s]))
        acc = flows.setdefault(key, {})
        for side, pk, by in ((c, fl["pkts_toserver"], fl["bytes_toserver"]),
                             (s, fl["pkts_toclient"], fl["bytes_toclient"])):
            p0, b0 = acc.get(side, (0, 0))
            acc[side] = (p0 + pk, b0 + by)
    return flows, total, None


def bytes_match(ours, shown, unit):
    scale = UNITS[unit]
    if scale == 1:
        return ours == shown
    return abs(ours - shown * scale) < scale


def compare(ws, path, tmp):
    src = path
    if path.endswith(".gz"):
        src = os.path.join(tmp, os.path.basename(path)[:-3])
        with gzip.open(path, "rb") as i, open(src, "wb") as o:
            shutil.copyfileobj(i, o)
    convs, ts_total = tshark_side(src)
    flows, ws_total, err = wiresift_side(ws, path)
    diffs = []
    if err:
        return [err], 0, 0
    if ts_total is not None and ws_total != ts_total:
        diffs.append("packets: wiresift %s, tshark %s" % (ws_total, ts_total))
    checked = 0
    for (proto, a, b), (f_ab, v_ab, u_ab, f_ba, v_ba, u_ba) in convs.items():
        key = (proto,) + tuple(sorted([a, b]))
        ours = flows.get(key)
        checked += 1
        if ours is None:
            diffs.append("%s %s:%d <-> %s:%d: missing in wiresift" % (proto, a[0], a[1], b[0], b[1]))
            continue
        pa, ba = ours.get(a, (0, 0))
        pb, bb = ours.get(b, (0, 0))
        if pa != f_ab or pb != f_ba or not bytes_match(ba, v_ab, u_ab) or not bytes_match(bb, v_ba, u_ba):
            diffs.append("%s %s:%d <-> %s:%d: wiresift %d/%d pkts %d/%d bytes, tshark %d/%d pkts %d %s/%d %s" % (
                proto, a[0], a[1], b[0], b[1], pa, pb, ba, bb, f_ab, f_ba, v_ab, u_ab, v_ba, u_ba))
    extra = set(flows) - {(p,) + tuple(sorted([a, b])) for (p, a, b) in convs}
    for key in sorted(extra):
        diffs.append("%s %s <-> %s: only in wiresift" % (key[0], key[1], key[2]))
    return diffs, checked, len(convs)


def main():
    ws = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "wiresift"))
    root = os.path.abspath(corpus_root())
    if not os.path.isdir(root):
        print("conv: corpus not found at %s: skipped" % root)
        return 0
    known = known_differences()
    caps = captures(root)
    failed = 0
    explained = 0
    total_convs = 0
    bad_convs = 0
    with tempfile.TemporaryDirectory() as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            results = list(ex.map(lambda p: (p, compare(ws, p, tmp)), caps))
    for path, (diffs, checked, n) in results:
        rel = os.path.relpath(path, root)
        total_convs += n
        bad_convs += len(diffs)
        if not diffs:
            continue
        if rel in known:
            explained += 1
            print("known  %s (%d differences): %s" % (rel, len(diffs), known[rel]))
            continue
        failed += 1
        print("DIFF   %s" % rel)
        for d in diffs[:20]:
            print("         " + d)
        if len(diffs) > 20:
            print("         ... %d more" % (len(diffs) - 20))
    print("conv: %d captures, %d tshark conversations, %d differing items; %d captures with unexplained "
          "differences, %d explained in KNOWN-DIFFERENCES.md" % (len(caps), total_convs, bad_convs, failed, explained))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
