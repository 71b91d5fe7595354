#!/usr/bin/env python3
"""SMB fields, wiresift vs tshark.

For every corpus capture whose protocols (MANIFEST.tsv, protocols_tshark)
include smb, smb2 or nbss, plus samples/sample.pcap: tshark -T fields -E
occurrence=a gives, per frame, every occurrence of the SMB1/SMB2 command,
NT status, tree, path, file name, NTLMSSP AUTHENTICATE user/domain/host,
SMB2 dialect and NBSS message type. wiresift's NDJSON (`analyze -q --json -`)
gives the same from its events, named as in src/event/ev_smb.h and
ev_netbios.h: an smb event belongs to its request frame (req_pcap_cnt) and
to its response frame (pcap_cnt, when has_response); a login event to the
request frame of the session setup answered in its frame; a netbios session
event to its frame. Per frame and field, the set of distinct values of both
sides is compared wherever tshark has one; prints the agreement and every
difference, exit 1 when the agreement (explained differences counted as
agreeing) is below 99.5%. Explanations are in KNOWN-DIFFERENCES.md ("SMB
fields"), keyed as in EXPLAIN below.
usage: tests/diff/smb_fields.py path/to/wiresift [-v]
"""
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.environ.get("WS_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
THRESHOLD = 99.5
AGG = "\x1f"	# tshark's aggregator between occurrences: no SMB name holds it

FIELDS = ["smb.cmd", "smb2.cmd", "smb.nt_status", "smb2.nt_status", "smb2.tree", "smb.path",
          "smb2.filename", "smb.file", "ntlmssp.auth.username", "ntlmssp.auth.domain",
          "ntlmssp.auth.hostname", "smb2.dialect", "nbss.type"]
AUX = ["smb.flags.response", "smb2.flags.response", "tcp.stream", "udp.srcport", "frame.len",
       "frame.cap_len"]

# [MS-SMB2] 2.2.3 dialect revisions as wiresift's knowledge base names them.
DIALECTS = {0x0202: "2.0.2", 0x0210: "2.1", 0x0222: "2.2.2", 0x0224: "2.2.4", 0x0300: "3.0",
            0x0302: "3.0.2", 0x0310: "3.1", 0x0311: "3.1.1", 0x02ff: "2.???"}


def captures():
    out = [os.path.join(ROOT, "samples", "sample.pcap")]
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8") as f:
        col = f.readline().rstrip("\n").split("\t").index("protocols_tshark")
        for line in f:
            row = line.rstrip("\n").split("\t")
            protos = row[col].split(",") if len(row) > col else []
            if {"smb", "smb2", "nbss"} & set(protos):
                p = os.path.join(CORPUS, row[0])
                out.append(p if os.path.exists(p) else p + ".gz")
    return [p for p in out if os.path.exists(p)]


def num(v):
    try:
        return str(int(v, 0))
    except ValueError:
        return v


def tshark(path):
    fields = ["frame.number"] + FIELDS + AUX
    cmd = ["tshark", "-r", path, "-Y", "smb || smb2 || nbss", "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=" + AGG, "-E", "separator=\t"]
    for f in fields:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    rows = {}
    for line in res.stdout.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(fields) - len(vals))
        occ = {f: [x for x in v.split(AGG)] if v else [] for f, v in zip(fields[1:], vals[1:])}
        r = {}
        for f in ("smb.cmd", "smb2.cmd", "nbss.type", "smb2.nt_status"):
            r[f] = {num(x) for x in occ[f] if x}
        # SMB1 puts a status in requests too: keep the responses' only.
        st, resp = occ["smb.nt_status"], occ["smb.flags.response"]
        if len(st) == len(resp):
            r["smb.nt_status"] = {num(s) for s, x in zip(st, resp) if x in ("1", "True") and s}
        else:
            r["smb.nt_status"] = {num(s) for s in st if s} if resp and all(x in ("1", "True") for x in resp) else set()
        r["nbss.type"] -= {"0"}	# session messages: their SMB is what is compared
        r["smb.cmd"] -= {"255"}	# an AndXCommand of 0xFF (no further command) is smb.cmd too
        for f in ("smb2.tree", "smb.path", "smb2.filename", "smb.file"):
            r[f] = {x for x in occ[f] if x}
        setup = "115" in r["smb.cmd"] or "1" in r["smb2.cmd"]
        for f in ("ntlmssp.auth.username", "ntlmssp.auth.domain", "ntlmssp.auth.hostname"):
            # Only in SMB session setups (DCE/RPC AUTH3 over a pipe carries
            # NTLMSSP too; login events are session setups); "NULL" is an empty name.
            r[f] = {x for x in occ[f] if x and x != "NULL"} if setup else set()
        r["smb2.dialect"] = {DIALECTS.get(int(x, 0), x) for x in occ["smb2.dialect"] if x}
        # context for explain(): which messages are answers, and the transport
        r["_resp1"] = "1" in occ["smb.flags.response"] or "True" in occ["smb.flags.response"]
        r["_resp2"] = "1" in occ["smb2.flags.response"] or "True" in occ["smb2.flags.response"]
        r["_tcp"] = bool(occ["tcp.stream"])
        r["_udp"] = bool(occ["udp.srcport"])
        r["_cut"] = occ["frame.len"] != occ["frame.cap_len"]
        rows[int(vals[0])] = r
    return rows


def wiresift(ws, path):
    res = subprocess.run([ws, "analyze", "-q", "--json", "-", path], capture_output=True, text=True,
                         errors="replace")
    frames = collections.defaultdict(lambda: collections.defaultdict(set))
    smb_at = {}	# (flow_id, response frame) -> request frame of a session setup
    logins = []
    for line in res.stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        et = ev.get("event_type")
        cnt = int(ev.get("pcap_cnt", 0) or 0)
        if et == "smb":
            b = ev.get("smb") or {}
            v1 = b.get("version") == 1
            mine = []
            if b.get("has_request") and b.get("req_pcap_cnt"):
                mine.append(int(b["req_pcap_cnt"]))
            if b.get("has_response") or not b.get("has_request"):
                mine.append(cnt)	# a server notification (neither) is at its frame too
                key = "smb.nt_status" if v1 else "smb2.nt_status"
                if not b.get("dos_error") and b.get("has_response"):
                    frames[cnt][key].add(str(b.get("status", 0)))
                if b.get("dialect") and not v1:
                    frames[cnt]["smb2.dialect"].add(b["dialect"])
                if b.get("command") in (0x73 if v1 else 1,) and b.get("has_request"):
                    smb_at[(ev.get("flow_id"), cnt)] = int(b.get("req_pcap_cnt", 0))
            if b.get("has_request") and not v1 and b.get("command") == 0:
                frames[int(b.get("req_pcap_cnt", 0))]["smb2.dialect"].update(b.get("dialects") or [])
            for fr in mine:
                d = frames[fr]
                d["smb.cmd" if v1 else "smb2.cmd"].add(str(b.get("command")))
                if b.get("share"):
                    d["smb.path" if v1 else "smb2.tree"].add(b["share"])
                if b.get("filename"):
                    d["smb.file" if v1 else "smb2.filename"].add(b["filename"])
        elif et == "login" and (ev.get("login") or {}).get("service") == "smb":
            logins.append((ev.get("flow_id"), cnt, ev["login"]))
        elif et == "netbios":
            b = ev.get("netbios") or {}
            if b.get("ssn_type"):
                frames[cnt]["nbss.type"].add(str(b["ssn_type"]))
    for flow, cnt, lg in logins:
        fr = smb_at.get((flow, cnt))
        if fr:
            for k, f in (("user", "ntlmssp.auth.username"), ("domain", "ntlmssp.auth.domain"),
                         ("host", "ntlmssp.auth.hostname")):
                if lg.get(k):
                    frames[fr][f].add(lg[k])
    return frames


# Differences understood (KNOWN-DIFFERENCES.md, "SMB fields"): capture -> reason key.
EXPLAIN_FILES = {
    "zeek/Traces/smb/smb3_multichannel.pcap": "other_connection",
    "zeek/Traces/smb/smb_v2_only_non_zero_reserved1.pcap": "other_connection",
    "zeek/Traces/dce-rpc/20-fids-no-close.pcap": "missing_segments",
    "zeek/Traces/smb/smb1-OSS-fuzz-54883.pcap": "fuzzed",
    "ndpi/fuzz-2006-06-26-2594.pcap": "fuzzed",
}


def explain(rel, tf, field, tv, wv):
    """The reason key of an understood difference (KNOWN-DIFFERENCES.md), or None."""
    if rel in EXPLAIN_FILES:
        return EXPLAIN_FILES[rel]
    if tf["_cut"]:
        return "snaplen"
    if not tf["_tcp"]:
        return "mailslot" if tf["_udp"] else "no_tcp"
    if field in ("smb2.nt_status", "smb2.cmd") and str(0x103) in tf["smb2.nt_status"] and \
            str(0x103) not in wv and not wv - tv:
        return "interim"
    if field == "smb.file" and tf["_resp1"] and "50" in tf["smb.cmd"]:
        return "find_entries"
    if field == "smb2.filename" and tf["_resp2"] and "14" in tf["smb2.cmd"]:
        return "find_entries"
    if field == "smb2.filename" and tf["_resp2"] and "16" in tf["smb2.cmd"]:
        return "getinfo_name"
    if field == "smb2.nt_status" and "5" in tf["smb2.cmd"] and wv and not wv - tv:
        return "create_context_status"
    if field == "smb2.nt_status" and "18" in tf["smb2.cmd"] and not wv:
        return "notification"
    if field == "smb.path" and "117" in tf["smb.cmd"] and wv and not wv - tv:
        return "tree_connect_tid"
    if field == "smb.path" and not wv and tf["smb.cmd"] <= {"43", "116"}:
        return "tid_ffff"
    if field == "smb.file" and tf["smb2.cmd"] and not tf["smb.cmd"]:
        return "dfs_referral"
    if field == "smb2.dialect" and "11" in tf["smb2.cmd"] and "0" not in tf["smb2.cmd"]:
        return "validate_negotiate"
    return None


def main():
    ws = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "wiresift")
    total = agree = 0
    why = collections.Counter()
    per_file = collections.Counter()
    for path in captures():
        rel = os.path.relpath(path, CORPUS) if path.startswith(CORPUS) else os.path.relpath(path, ROOT)
        rel = rel[:-3] if rel.endswith(".gz") else rel
        t = tshark(path)
        w = wiresift(ws, path)
        for frame, tf in sorted(t.items()):
            wf = w.get(frame, {})
            for field in FIELDS:
                tv = tf.get(field) or set()
                if not tv:
                    continue
                total += 1
                wv = wf.get(field, set())
                if tv == wv:
                    agree += 1
                    continue
                reason = explain(rel, tf, field, tv, wv)
                if reason:
                    why[reason] += 1
                    if "-v" in sys.argv:
                        print("[%s] %s frame %d %s: tshark %s wiresift %s" % (reason, rel, frame, field, sorted(tv), sorted(wv)))
                    continue
                per_file[rel] += 1
                print("%s frame %d %s: tshark %s wiresift %s" % (rel, frame, field, sorted(tv), sorted(wv)))
    explained = sum(why.values())
    pct = 100.0 * agree / total if total else 100.0
    pct_ok = 100.0 * (agree + explained) / total if total else 100.0
    for rel, n in per_file.most_common():
        print("unexplained: %5d %s" % (n, rel))
    for k, n in why.most_common():
        print("explained:   %5d %s" % (n, k))
    print("smb fields: %d compared, %d agree (%.2f%%), %d explained, %d unexplained; "
          "agreement counting explained: %.2f%%"
          % (total, agree, pct, explained, total - agree - explained, pct_ok))
    return 0 if pct_ok >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
