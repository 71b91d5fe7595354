#!/usr/bin/env python3
"""Writes small crafted seed captures into fuzz/corpus/pcap/ (edge cases the
shared corpus lacks: cut files, IP fragments, TCP gaps and overlaps, mixed
link types). Run once; the outputs are committed as the fuzzer's seeds."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "pcap")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(src, dst, proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                    bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp(sp, dp, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + data


def udp(sp, dp, data):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data


def eth(l3, et=0x0800):
    return b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb" + struct.pack("!H", et) + l3


def pcap(frames, link=1):
    out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, link)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1000 + i, 0, len(f), len(f)) + f
    return out


A, B = [10, 0, 0, 1], [10, 0, 0, 2]
smb_neg = b"\x00\x00\x00\x2f\xffSMBr" + b"\x00" * 27 + b"\x0c\x00\x02NT LM 0.12\x00"
tcp_flow = [
    eth(ipv4(A, B, 6, tcp(40000, 445, 100, 0, 0x02))),
    eth(ipv4(B, A, 6, tcp(445, 40000, 500, 101, 0x12))),
    eth(ipv4(A, B, 6, tcp(40000, 445, 101, 501, 0x18, smb_neg[:10]))),
    eth(ipv4(A, B, 6, tcp(40000, 445, 120, 501, 0x18, smb_neg[19:]))),   # gap
    eth(ipv4(A, B, 6, tcp(40000, 445, 105, 501, 0x18, smb_neg[4:25]))),  # overlap
    eth(ipv4(B, A, 6, tcp(445, 40000, 501, 200, 0x11))),
    eth(ipv4(A, B, 6, tcp(40000, 445, 200, 502, 0x04))),
]
payload = udp(137, 137, b"\x12\x34\x01\x10\x00\x01\x00\x00\x00\x00\x00\x00" + b"\x20" + b"CA" * 16 + b"\x00\x00\x21\x00\x01")
frags = [
    eth(ipv4(A, B, 17, payload[16:], ident=7, frag=2)),
    eth(ipv4(A, B, 17, payload[:16], ident=7, frag=0x2000)),
    eth(ipv4(A, B, 17, payload[8:24], ident=7, frag=0x2001)),
]
os.makedirs(OUT, exist_ok=True)
seeds = {
    "tcp-gap-overlap.pcap": pcap(tcp_flow),
    "ipv4-fragments.pcap": pcap(frags),
    "cut-in-record.pcap": pcap(tcp_flow)[:-9],
    "cut-in-header.pcap": pcap(tcp_flow)[:24 + 7],
    "raw-ip.pcap": pcap([ipv4(A, B, 17, udp(5353, 5353, b"\x00" * 12))], link=101),
    "bad-magic.pcap": b"\x00\x01\x02\x03" + b"\x00" * 40,
}
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print("wrote %d seeds to %s" % (len(seeds), OUT))
