/*
 * smb_harness.h - the TCP test harness shared by test_nbss.c and test_smb1.c:
 * crafted TCP segments of one connection are written as a pcap into a memfd
 * and run through the real engine; netbios, smb, login and anomaly events and
 * each packet's Info text are collected. Also a small SMB1 message builder.
 * Header-only (static functions), for one test file each.
 */
#ifndef WS_TESTS_SMB_HARNESS_H
#define WS_TESTS_SMB_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine/engine.h"
#include "event/ev_netbios.h"
#include "event/ev_smb.h"
#include "event/event.h"
#include "../tcp_pcap.h"

/* ---- a small TCP harness: crafted segments -> pcap in a memfd -> engine ---- */

#define TH_EV_MAX 64
#define TH_PKT_MAX 4096

struct th_result {
	struct ws_ev_netbios nb[TH_EV_MAX];
	size_t nb_cnt;
	struct ws_ev_smb smb[TH_EV_MAX];
	size_t smb_cnt;
	struct ws_ev_login login[TH_EV_MAX];
	size_t login_cnt;
	char anom[TH_EV_MAX][48];
	size_t anom_cnt;
	char info[TH_PKT_MAX][160];
	size_t pkt_cnt;
};

__attribute__((unused)) static void th_on_event(void *user, const struct ws_event *ev)
{
	struct th_result *r = user;

	if (ev->type == WS_EV_NETBIOS && r->nb_cnt < TH_EV_MAX)
		r->nb[r->nb_cnt++] = *(const struct ws_ev_netbios *)ev->body;
	if (ev->type == WS_EV_SMB && r->smb_cnt < TH_EV_MAX) {
		r->smb[r->smb_cnt] = *(const struct ws_ev_smb *)ev->body;
		/* dialect pointers live only during the call */
		memset(r->smb[r->smb_cnt].dialects, 0, sizeof(r->smb[r->smb_cnt].dialects));
		r->smb[r->smb_cnt].dialect = NULL;
		r->smb_cnt++;
	}
	if (ev->type == WS_EV_LOGIN && r->login_cnt < TH_EV_MAX)
		r->login[r->login_cnt++] = *(const struct ws_ev_login *)ev->body;
	if (ev->type == WS_EV_ANOMALY && r->anom_cnt < TH_EV_MAX)
		snprintf(r->anom[r->anom_cnt++], 48, "%s", ((const struct ws_ev_anomaly *)ev->body)->name);
}

__attribute__((unused)) static void th_on_packet(void *user, const struct ws_packet *p, const struct ws_flow *f, enum ws_dir dir,
			 const char *label, const char *info)
{
	struct th_result *r = user;

	(void)p;
	(void)f;
	(void)dir;
	(void)label;
	if (r->pkt_cnt < TH_PKT_MAX)
		snprintf(r->info[r->pkt_cnt++], 160, "%s", info ? info : "");
}

__attribute__((unused)) static void th_run(struct th_conv *cv, struct th_result *r)
{
	struct ws_engine_cfg cfg;
	struct ws_bus bus;
	char path[64], err[256];

	th_seg(cv, 0, 0x11, NULL, 0);
	th_seg(cv, 1, 0x11, NULL, 0);
	th_seg(cv, 0, 0x10, NULL, 0);
	fflush(cv->f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(cv->f));
	memset(r, 0, sizeof(*r));
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, th_on_event, r);
	ws_engine_cfg_default(&cfg);
	cfg.want_info = true;
	struct ws_engine *e = ws_engine_new(&cfg, &bus);
	ws_engine_set_packet_hook(e, th_on_packet, r);
	ws_engine_run_file(e, path, err, sizeof(err));
	ws_engine_finish(e);
	ws_engine_free(e);
	fclose(cv->f);
}

__attribute__((unused)) static FILE *th_file(void)
{
	int fd = memfd_create("th", 0);

	return fd >= 0 ? fdopen(fd, "w+b") : NULL;
}

__attribute__((unused)) static bool th_has_anom(const struct th_result *r, const char *name)
{
	for (size_t i = 0; i < r->anom_cnt; i++)
		if (strcmp(r->anom[i], name) == 0)
			return true;
	return false;
}

__attribute__((unused)) static bool th_has_info(const struct th_result *r, const char *text)
{
	for (size_t i = 0; i < r->pkt_cnt; i++)
		if (strstr(r->info[i], text))
			return true;
	return false;
}
/* ---- SMB1 builders ([MS-CIFS] 2.2.3.1) ---- */

struct mb {
	uint8_t b[70000];
	size_t n;
};

__attribute__((unused)) static void mb_u8(struct mb *m, uint8_t v) { m->b[m->n++] = v; }
__attribute__((unused)) static void mb_le16(struct mb *m, uint16_t v) { mb_u8(m, (uint8_t)v); mb_u8(m, (uint8_t)(v >> 8)); }
__attribute__((unused)) static void mb_le32(struct mb *m, uint32_t v) { mb_le16(m, (uint16_t)v); mb_le16(m, (uint16_t)(v >> 16)); }
__attribute__((unused)) static void mb_str(struct mb *m, const char *s) { size_t l = strlen(s) + 1; memcpy(m->b + m->n, s, l); m->n += l; }
__attribute__((unused)) static void mb_utf16(struct mb *m, const char *s) { for (; *s; s++) mb_le16(m, (uint8_t)*s); mb_le16(m, 0); }

/* NBSS header (4 bytes, filled by mb_end) then the SMB1 header. */
__attribute__((unused)) static void mb_smb1(struct mb *m, uint8_t cmd, bool reply, uint32_t status, uint16_t flags2,
		    uint16_t tid, uint16_t uid, uint16_t mid)
{
	m->n = 4;
	mb_u8(m, 0xff); mb_u8(m, 'S'); mb_u8(m, 'M'); mb_u8(m, 'B');
	mb_u8(m, cmd);
	mb_le32(m, status);
	mb_u8(m, reply ? 0x98 : 0x18);
	mb_le16(m, flags2);
	mb_le16(m, 0);
	for (int i = 0; i < 8; i++)
		mb_u8(m, 0);
	mb_le16(m, 0);
	mb_le16(m, tid);
	mb_le16(m, 0x1234);	/* PID */
	mb_le16(m, uid);
	mb_le16(m, mid);
}

__attribute__((unused)) static void mb_end(struct mb *m)
{
	size_t len = m->n - 4;

	m->b[0] = 0;
	m->b[1] = (uint8_t)(len >> 16);
	m->b[2] = (uint8_t)(len >> 8);
	m->b[3] = (uint8_t)len;
}

/* The offset of the next byte from the SMB header start. */
__attribute__((unused)) static uint16_t mb_pos(const struct mb *m)
{
	return (uint16_t)(m->n - 4);
}

#endif
