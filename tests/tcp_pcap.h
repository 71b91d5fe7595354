/*
 * tcp_pcap.h - writes one crafted TCP connection as a pcap: client 10.0.0.1
 * port 40000, server 10.0.0.2 at a chosen port, handshake, data segments in
 * either direction, lost segments (the receiver sees a gap). Shared by the
 * unit tests and fuzzers that drive TCP parsers through the real engine.
 * Header-only (static functions).
 */
#ifndef WS_TESTS_TCP_PCAP_H
#define WS_TESTS_TCP_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TH_SEG_MAX 1600

struct th_conv {
	FILE *f;
	uint32_t seq[2];
	uint16_t port;
	uint32_t ts;
};

__attribute__((unused)) static void th_put(FILE *f, const void *b, size_t n)
{
	fwrite(b, 1, n, f);
}

__attribute__((unused)) static void th_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	th_put(f, b, 4);
}

/* One TCP segment, client (dir 0, 10.0.0.1) or server (dir 1, 10.0.0.2:port). */
__attribute__((unused)) static void th_seg(struct th_conv *cv, int dir, uint8_t flags, const uint8_t *data, size_t len)
{
	uint8_t fr[14 + 20 + 20 + TH_SEG_MAX];
	size_t n = 14 + 20 + 20 + len;
	uint16_t sp = dir ? cv->port : 40000, dp = dir ? 40000 : cv->port;
	uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };

	memset(fr, 0, 54);
	fr[5] = 1;
	fr[11] = 2;
	fr[12] = 0x08;
	uint8_t *ip = fr + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((n - 14) >> 8);
	ip[3] = (uint8_t)(n - 14);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, dir ? b : a, 4);
	memcpy(ip + 16, dir ? a : b, 4);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8);
	ip[11] = (uint8_t)~sum;
	uint8_t *t = ip + 20;
	t[0] = (uint8_t)(sp >> 8);
	t[1] = (uint8_t)sp;
	t[2] = (uint8_t)(dp >> 8);
	t[3] = (uint8_t)dp;
	uint32_t s = cv->seq[dir], ack = cv->seq[!dir];
	t[4] = (uint8_t)(s >> 24); t[5] = (uint8_t)(s >> 16); t[6] = (uint8_t)(s >> 8); t[7] = (uint8_t)s;
	t[8] = (uint8_t)(ack >> 24); t[9] = (uint8_t)(ack >> 16); t[10] = (uint8_t)(ack >> 8); t[11] = (uint8_t)ack;
	t[12] = 0x50;
	t[13] = flags;
	t[14] = 0xff;
	t[15] = 0xff;
	if (len)
		memcpy(t + 20, data, len);
	cv->seq[dir] += (uint32_t)len + ((flags & 0x03) ? 1u : 0u);
	th_le32(cv->f, ++cv->ts);
	th_le32(cv->f, 0);
	th_le32(cv->f, (uint32_t)n);
	th_le32(cv->f, (uint32_t)n);
	th_put(cv->f, fr, n);
}

__attribute__((unused)) static void th_open(struct th_conv *cv, FILE *f, uint16_t port)
{
	memset(cv, 0, sizeof(*cv));
	cv->f = f;
	cv->port = port;
	cv->seq[0] = 1000;
	cv->seq[1] = 5000;
	th_le32(f, 0xa1b2c3d4);
	uint8_t v[4] = { 2, 0, 4, 0 };
	th_put(f, v, 4);
	th_le32(f, 0);
	th_le32(f, 0);
	th_le32(f, 65535);
	th_le32(f, 1);
	th_seg(cv, 0, 0x02, NULL, 0);
	th_seg(cv, 1, 0x12, NULL, 0);
	th_seg(cv, 0, 0x10, NULL, 0);
}

/* Data in segments of at most seg bytes (0: one segment up to TH_SEG_MAX). */
__attribute__((unused)) static void th_send(struct th_conv *cv, int dir, const uint8_t *data, size_t len, size_t seg)
{
	if (seg == 0 || seg > TH_SEG_MAX)
		seg = TH_SEG_MAX;
	for (size_t o = 0; o < len; o += seg)
		th_seg(cv, dir, 0x18, data + o, len - o < seg ? len - o : seg);
}

/* Skips len bytes of dir's stream: the receiver sees a gap. */
__attribute__((unused)) static void th_lose(struct th_conv *cv, int dir, size_t len)
{
	cv->seq[dir] += (uint32_t)len;
}

#endif
