/*
 * test_output_smb.c - the outputs of issue 3: NDJSON of the netbios, smb,
 * dcerpc and login events (every line valid JSON whatever the names hold,
 * the struct field names as keys, names as {"name","suffix","type",
 * "meaning"}), the host event's NetBIOS/SMB fields and roles (the inventory
 * fed by crafted events), and the report's NetBIOS names, Logins and SMB
 * sections.
 *
 * JSON validity is checked by the RFC 8259 recogniser of test_output.c
 * (copied here: tests are single files): strings may hold no raw control
 * byte, escapes must be valid, and the bytes must be valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/addr.h"
#include "detect/finding.h"
#include "event/ev_netbios.h"
#include "event/ev_smb.h"
#include "event/event.h"
#include "flow/flow.h"
#include "inventory/inventory.h"
#include "output/ndjson.h"
#include "output/report.h"
#include "proto/proto.h"

#include "json_check.h"

/* ---- fixtures ---- */

static const struct ws_proto fake_nbns = { .name = "nbns", .label = "NBNS" };
static const struct ws_proto fake_smb = { .name = "smb", .label = "SMB" };

/* A hostile name: quote, backslash, control bytes, an invalid UTF-8 byte. */
static const char hostile[] = "EV\"IL\\\x01\x1b[2J\xff";

static void mkflow(struct ws_flow *f, uint64_t id, uint8_t proto, const char *cli, uint16_t cport,
		   const char *srv, uint16_t sport)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->proto = proto;
	f->ip_ver = 4;
	assert_int_equal(ws_addr_parse(&f->cli, cli), 0);
	assert_int_equal(ws_addr_parse(&f->srv, srv), 0);
	f->cport = cport;
	f->sport = sport;
	f->first_ns = 1700000000LL * 1000000000LL;
	f->last_ns = f->first_ns + 1000000000LL;
	f->pkts[0] = 1;
	f->pkts[1] = 1;
	f->app = proto == 17 ? &fake_nbns : &fake_smb;
}

static void nbname(struct ws_nb_name *n, const char *name, uint8_t suffix, enum ws_nb_group type,
		   const char *meaning)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->suffix = suffix;
	n->type = type;
	n->meaning = meaning;
	n->present = true;
}

/* Runs one event through a writer on a memory stream; returns the line (free it). */
static char *ndjson_of(enum ws_ev_type t, const struct ws_flow *f, const void *body)
{
	struct ws_event ev = { .type = t, .ts_ns = 1700000000LL * 1000000000LL, .pkt_num = 7, .flow = f, .body = body };
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	struct ws_ndjson *w;

	assert_non_null(m);
	w = ws_ndjson_new(m);
	assert_non_null(w);
	ws_ndjson_on_event(w, &ev);
	ws_ndjson_free(w);
	fclose(m);
	assert_true(json_line_ok(buf, n));
	return buf;
}

#define HAS(s, lit) assert_non_null(strstr((s), (lit)))
#define HASNT(s, lit) assert_null(strstr((s), (lit)))

static void test_json_checker_itself(void **state)
{
	(void)state;
	assert_true(json_str_ok("{\"a\":[1,{\"b\":\"x\\u0001\"}],\"c\":true}\n"));
	assert_false(json_str_ok("{\"a\":\"\x01\"}\n"));
	assert_false(json_str_ok("{\"a\":\"\xff\"}\n"));
	assert_false(json_str_ok("{\"a\":1,}\n"));
}

/* ---- NDJSON ---- */

static void test_ndjson_nbns_status(void **state)
{
	struct ws_flow f;
	struct ws_ev_netbios *n = calloc(1, sizeof(*n));
	char *s;

	(void)state;
	assert_non_null(n);
	mkflow(&f, 3, 17, "192.168.1.10", 137, "192.168.1.5", 137);
	n->service = WS_NB_NS;
	n->trn_id = 0x1234;
	n->response = true;
	n->opcode = 0;
	n->opcode_name = "query";
	n->rcode = 0;
	n->rcode_name = "no error";
	n->qtype = 0x21;
	nbname(&n->qname, "*", 0x00, WS_NB_UNKNOWN, NULL);
	nbname(&n->status[0].name, "SISTEM", 0x20, WS_NB_UNIQUE, "File Server Service");
	n->status[0].flags = 0x0400;
	nbname(&n->status[1].name, "WORKGROUP", 0x1D, WS_NB_UNIQUE, "Master Browser");
	nbname(&n->status[2].name, hostile, 0x00, WS_NB_GROUP, "Domain Name");
	n->status[2].flags = 0x8400;
	n->status_cnt = 3;
	n->status_total = 3;
	memcpy(n->unit_id, "\x00\x0c\x29\xab\xcd\xef", 6);
	n->has_unit_id = true;
	s = ndjson_of(WS_EV_NETBIOS, &f, n);
	HAS(s, "\"event_type\":\"netbios\"");
	HAS(s, "\"flow_id\":3");
	HAS(s, "\"netbios\":{\"service\":\"ns\"");
	HAS(s, "\"trn_id\":4660");
	HAS(s, "\"response\":true");
	HAS(s, "\"opcode_name\":\"query\"");
	HAS(s, "\"qtype\":33");
	HAS(s, "\"qname\":{\"name\":\"*\",\"suffix\":\"00\",\"type\":\"unknown\"}");
	HAS(s, "\"status\":[{\"name\":{\"name\":\"SISTEM\",\"suffix\":\"20\",\"type\":\"unique\",\"meaning\":\"File Server Service\"},\"flags\":1024}");
	HAS(s, "\"suffix\":\"1D\"");
	HAS(s, "\"type\":\"group\"");
	HAS(s, "\"status_total\":3");
	HAS(s, "\"unit_id\":\"00:0c:29:ab:cd:ef\"");
	/* The hostile name arrives escaped, never raw. */
	HAS(s, "EV\\\"IL\\\\\\u0001\\u001b[2J");
	HASNT(s, "\x1b");
	/* Fields of other services stay out. */
	HASNT(s, "ssn_type");
	HASNT(s, "msg_type");
	free(s);

	/* A registration with its address. */
	memset(n, 0, sizeof(*n));
	n->service = WS_NB_NS;
	n->opcode = 5;
	n->opcode_name = "registration";
	n->qtype = 0x20;
	nbname(&n->qname, "CLIENTE", 0x20, WS_NB_UNIQUE, "File Server Service");
	ws_addr_parse(&n->addrs[0].addr, "192.168.1.10");
	n->addrs[0].nb_flags = 0x6000;
	n->addr_cnt = 1;
	n->addr_total = 1;
	n->ttl = 300000;
	n->has_ttl = true;
	s = ndjson_of(WS_EV_NETBIOS, &f, n);
	HAS(s, "\"addrs\":[{\"addr\":\"192.168.1.10\",\"nb_flags\":24576,\"group\":false}]");
	HAS(s, "\"ttl\":300000");
	HASNT(s, "\"rcode\"");	/* a request has none */
	free(s);
	free(n);
}

static void test_ndjson_nbdgm_nbss(void **state)
{
	struct ws_flow f;
	struct ws_ev_netbios *n = calloc(1, sizeof(*n));
	char *s;

	(void)state;
	assert_non_null(n);
	mkflow(&f, 4, 17, "192.168.1.10", 138, "192.168.1.255", 138);
	n->service = WS_NB_DGM;
	n->msg_type = 0x11;
	n->msg_type_name = "direct_group";
	ws_addr_parse(&n->source_ip, "192.168.1.10");
	n->source_port = 138;
	nbname(&n->src_name, "SISTEM", 0x00, WS_NB_UNKNOWN, "Workstation Service");
	nbname(&n->dst_name, "WORKGROUP", 0x1D, WS_NB_UNKNOWN, "Master Browser");
	snprintf(n->mailslot, sizeof(n->mailslot), "\\MAILSLOT\\BROWSE");
	n->to_subnet_broadcast = true;
	n->has_browser = true;
	n->browser.command = 1;
	n->browser.command_name = "Host Announcement";
	snprintf(n->browser.server, sizeof(n->browser.server), "SISTEM");
	n->browser.os_major = 5;
	n->browser.os_minor = 1;
	n->browser.server_type = 0x00051003;	/* workstation, server, nt, potential browser, master browser */
	snprintf(n->browser.comment, sizeof(n->browser.comment), "%s", hostile);
	s = ndjson_of(WS_EV_NETBIOS, &f, n);
	HAS(s, "\"service\":\"dgm\"");
	HAS(s, "\"msg_type\":17");
	HAS(s, "\"source_ip\":\"192.168.1.10\"");
	HAS(s, "\"src_name\":{\"name\":\"SISTEM\",\"suffix\":\"00\"");
	HAS(s, "\"dst_name\":{\"name\":\"WORKGROUP\",\"suffix\":\"1D\"");
	HAS(s, "\"mailslot\":\"\\\\MAILSLOT\\\\BROWSE\"");
	HAS(s, "\"to_subnet_broadcast\":true");
	HAS(s, "\"browser\":{\"command\":1,\"command_name\":\"Host Announcement\",\"server\":\"SISTEM\",\"os_major\":5,\"os_minor\":1");
	HAS(s, "\"server_type_names\":[\"workstation\",\"server\",\"nt\",\"potential_browser\",\"master_browser\"]");
	free(s);

	memset(n, 0, sizeof(*n));
	mkflow(&f, 5, 6, "192.168.1.10", 1050, "192.168.1.5", 139);
	n->service = WS_NB_SSN;
	n->ssn_type = 0x81;
	n->ssn_type_name = "session request";
	n->ssn_length = 68;
	nbname(&n->called, "CLIENTE", 0x20, WS_NB_UNKNOWN, "File Server Service");
	nbname(&n->calling, "SISTEM", 0x00, WS_NB_UNKNOWN, "Workstation Service");
	s = ndjson_of(WS_EV_NETBIOS, &f, n);
	HAS(s, "\"service\":\"ssn\"");
	HAS(s, "\"ssn_type\":129");
	HAS(s, "\"called\":{\"name\":\"CLIENTE\",\"suffix\":\"20\",\"type\":\"unknown\",\"meaning\":\"File Server Service\"}");
	HAS(s, "\"calling\":{\"name\":\"SISTEM\",\"suffix\":\"00\"");
	HASNT(s, "error_code");
	free(s);
	n->ssn_type = 0x83;
	n->error_code = 0x82;
	n->error_name = "Called name not present";
	s = ndjson_of(WS_EV_NETBIOS, &f, n);
	HAS(s, "\"error_code\":130,\"error_name\":\"Called name not present\"");
	free(s);
	free(n);
}

static void test_ndjson_smb_dcerpc_login(void **state)
{
	struct ws_flow f;
	struct ws_ev_smb *m = calloc(1, sizeof(*m));
	struct ws_ev_dcerpc c;
	struct ws_ev_login l;
	char *s;

	(void)state;
	assert_non_null(m);
	mkflow(&f, 6, 6, "10.0.0.66", 50000, "10.0.0.5", 445);
	m->version = 1;
	m->command = 0x72;
	m->command_name = "SMB_COM_NEGOTIATE";
	m->mnemonic = "SMBr";
	m->has_request = m->has_response = true;
	m->status_name = "STATUS_SUCCESS";
	m->dialects[0] = "PC NETWORK PROGRAM 1.0";
	m->dialects[1] = "NT LM 0.12";
	m->dialect_cnt = 2;
	m->dialect = "NT LM 0.12";
	snprintf(m->native_os, sizeof(m->native_os), "Windows 5.1");
	s = ndjson_of(WS_EV_SMB, &f, m);
	HAS(s, "\"event_type\":\"smb\"");
	HAS(s, "\"smb\":{\"version\":1,\"command\":114,\"command_name\":\"SMB_COM_NEGOTIATE\",\"mnemonic\":\"SMBr\"");
	HAS(s, "\"status\":0,\"status_name\":\"STATUS_SUCCESS\"");
	HAS(s, "\"dialects\":[\"PC NETWORK PROGRAM 1.0\",\"NT LM 0.12\"],\"dialect\":\"NT LM 0.12\"");
	HAS(s, "\"native_os\":\"Windows 5.1\"");
	HASNT(s, "\"share\"");
	free(s);

	memset(m, 0, sizeof(*m));
	m->version = 2;
	m->command = 5;
	m->command_name = "CREATE";
	m->has_request = m->has_response = true;
	m->status = 0xc0000022;
	m->status_name = "STATUS_ACCESS_DENIED";
	m->signed_msg = true;
	snprintf(m->share, sizeof(m->share), "\\\\SRV\\C$");
	snprintf(m->filename, sizeof(m->filename), "%s.txt", hostile);
	m->create_disposition = 1;
	s = ndjson_of(WS_EV_SMB, &f, m);
	HAS(s, "\"status\":3221225506,\"status_name\":\"STATUS_ACCESS_DENIED\"");
	HAS(s, "\"signed_msg\":true");
	HAS(s, "\"share\":\"\\\\\\\\SRV\\\\C$\"");
	HAS(s, "\"filename\":\"EV\\\"IL");
	HAS(s, "\"create_disposition\":1");
	HASNT(s, "\"encrypted\"");
	free(s);

	memset(&c, 0, sizeof(c));
	c.ptype = 0;
	c.ptype_name = "request";
	snprintf(c.interface_uuid, sizeof(c.interface_uuid), "4b324fc8-1670-01d3-1278-5a47bf6ee188");
	c.interface = "srvsvc";
	c.opnum = 15;
	c.operation = "NetShareEnumAll";
	c.call_id = 2;
	snprintf(c.pipe, sizeof(c.pipe), "\\PIPE\\srvsvc");
	s = ndjson_of(WS_EV_DCERPC, &f, &c);
	HAS(s, "\"dcerpc\":{\"ptype\":0,\"ptype_name\":\"request\",\"interface_uuid\":\"4b324fc8-1670-01d3-1278-5a47bf6ee188\",\"interface\":\"srvsvc\",\"opnum\":15,\"operation\":\"NetShareEnumAll\",\"call_id\":2,\"pipe\":\"\\\\PIPE\\\\srvsvc\"}");
	free(s);

	memset(&l, 0, sizeof(l));
	l.service = "smb";
	snprintf(l.user, sizeof(l.user), "%s", hostile);
	snprintf(l.domain, sizeof(l.domain), "CORP");
	snprintf(l.host, sizeof(l.host), "SISTEM");
	l.method = "ntlmv2";
	l.success = 0;
	l.status = 0xc000006d;
	l.status_name = "STATUS_LOGON_FAILURE";
	l.password_sent = true;
	s = ndjson_of(WS_EV_LOGIN, &f, &l);
	HAS(s, "\"login\":{\"service\":\"smb\",\"user\":\"EV\\\"IL");
	HAS(s, "\"domain\":\"CORP\",\"host\":\"SISTEM\",\"method\":\"ntlmv2\",\"success\":false,\"status\":3221225581,\"status_name\":\"STATUS_LOGON_FAILURE\",\"anonymous\":false,\"guest\":false,\"password_sent\":true}");
	HAS(s, "\"src_ip\":\"10.0.0.66\"");
	HAS(s, "\"dest_port\":445");
	free(s);
	/* Unknown outcome: no success field at all, rather than a wrong one. */
	l.success = -1;
	l.user[0] = '\0';
	l.anonymous = true;
	s = ndjson_of(WS_EV_LOGIN, &f, &l);
	HASNT(s, "\"success\"");
	HAS(s, "\"user\":\"\"");
	HAS(s, "\"anonymous\":true");
	free(s);
	/* No body, no flow: still a line. */
	s = ndjson_of(WS_EV_SMB, NULL, NULL);
	HAS(s, "\"event_type\":\"smb\"");
	free(s);
	free(m);
}

/* ---- inventory and report ---- */

static void emit(struct ws_bus *b, enum ws_ev_type t, const struct ws_flow *f, const void *body)
{
	struct ws_event ev = { .type = t, .ts_ns = 1700000000LL * 1000000000LL, .pkt_num = 1, .flow = f, .body = body };

	ws_bus_emit(b, &ev);
}

static bool has_role(const struct ws_host *h, const char *role)
{
	for (uint32_t i = 0; h->win && i < h->win->role_cnt; i++)
		if (strcmp(h->win->roles[i], role) == 0)
			return true;
	return false;
}

static const struct ws_host *host(const struct ws_inventory *inv, const char *a)
{
	struct ws_addr x;

	assert_int_equal(ws_addr_parse(&x, a), 0);
	return ws_inventory_find(inv, &x);
}

static void feed_smb_world(struct ws_bus *bus)
{
	struct ws_flow ns, ns2, dgm, ssn;
	struct ws_ev_netbios *n = calloc(1, sizeof(*n));
	struct ws_ev_smb *m = calloc(1, sizeof(*m));
	struct ws_ev_login l;

	assert_non_null(n);
	assert_non_null(m);
	/* Node status: 10.0.0.66 asked, 10.0.0.5 answered (the flow has packets both ways). */
	mkflow(&ns, 1, 17, "10.0.0.66", 50000, "10.0.0.5", 137);
	n->service = WS_NB_NS;
	n->response = true;
	n->qtype = 0x21;
	nbname(&n->status[0].name, "DC01", 0x20, WS_NB_UNIQUE, "File Server Service");
	nbname(&n->status[1].name, "CORP", 0x1C, WS_NB_GROUP, "Domain Controllers");
	n->status[1].flags = 0x8400;
	nbname(&n->status[2].name, "CORP", 0x1B, WS_NB_UNIQUE, "Domain Master Browser");
	nbname(&n->status[3].name, hostile, 0x00, WS_NB_UNIQUE, "Workstation Service");
	n->status_cnt = 4;
	memcpy(n->unit_id, "\x00\x0c\x29\x01\x02\x03", 6);
	n->has_unit_id = true;
	emit(bus, WS_EV_NETBIOS, &ns, n);
	/* A registration carrying its address names that address, not the broadcast. */
	memset(n, 0, sizeof(*n));
	mkflow(&ns2, 2, 17, "10.0.0.66", 137, "10.0.0.255", 137);
	ns2.pkts[1] = 0;
	n->service = WS_NB_NS;
	n->opcode = 5;
	n->qtype = 0x20;
	nbname(&n->qname, "WS66", 0x00, WS_NB_UNKNOWN, "Workstation Service");
	ws_addr_parse(&n->addrs[0].addr, "10.0.0.66");
	n->addr_cnt = 1;
	emit(bus, WS_EV_NETBIOS, &ns2, n);
	/* A query names nobody. */
	nbname(&n->qname, "GHOST", 0x20, WS_NB_UNKNOWN, NULL);
	n->opcode = 0;
	n->addr_cnt = 0;
	emit(bus, WS_EV_NETBIOS, &ns2, n);
	/* A host announcement from 10.0.0.7: OS and server type roles. */
	memset(n, 0, sizeof(*n));
	mkflow(&dgm, 3, 17, "10.0.0.7", 138, "10.0.0.255", 138);
	n->service = WS_NB_DGM;
	ws_addr_parse(&n->source_ip, "10.0.0.7");
	nbname(&n->src_name, "PRINTY", 0x00, WS_NB_UNKNOWN, NULL);
	n->has_browser = true;
	n->browser.command = 1;
	n->browser.os_major = 5;
	n->browser.os_minor = 1;
	n->browser.server_type = 0x00040203;	/* workstation, server, print server, master browser */
	emit(bus, WS_EV_NETBIOS, &dgm, n);
	/* An NBSS session request: calling names the client, called the server. */
	memset(n, 0, sizeof(*n));
	mkflow(&ssn, 4, 6, "10.0.0.66", 1050, "10.0.0.5", 139);
	n->service = WS_NB_SSN;
	n->ssn_type = 0x81;
	nbname(&n->called, "DC01", 0x20, WS_NB_UNKNOWN, NULL);
	nbname(&n->calling, "WS66", 0x00, WS_NB_UNKNOWN, NULL);
	emit(bus, WS_EV_NETBIOS, &ssn, n);
	/* smbclient //10.0.0.5 calls the address, *SMBSERVER is anyone's: neither names the server. */
	nbname(&n->called, "10.0.0.5", 0x20, WS_NB_UNKNOWN, NULL);
	emit(bus, WS_EV_NETBIOS, &ssn, n);
	nbname(&n->called, "*SMBSERVER", 0x20, WS_NB_UNKNOWN, NULL);
	emit(bus, WS_EV_NETBIOS, &ssn, n);
	/* SMB: an SMB1 negotiate, a tree connect, a file read, logins. */
	m->version = 1;
	m->command = 0x72;
	m->has_request = m->has_response = true;
	m->dialects[0] = "NT LM 0.12";
	m->dialect_cnt = 1;
	m->dialect = "NT LM 0.12";
	snprintf(m->native_os, sizeof(m->native_os), "Windows 2000 2195");
	snprintf(m->server_native_os, sizeof(m->server_native_os), "Windows Server 2003 3790");
	emit(bus, WS_EV_SMB, &ssn, m);
	memset(m, 0, sizeof(*m));
	m->version = 1;
	m->command = 0x75;
	m->has_request = m->has_response = true;
	snprintf(m->share, sizeof(m->share), "\\\\DC01\\IPC$");
	snprintf(m->service, sizeof(m->service), "IPC");
	emit(bus, WS_EV_SMB, &ssn, m);
	m->command = 0xa2;
	snprintf(m->share, sizeof(m->share), "\\\\DC01\\docs");
	snprintf(m->filename, sizeof(m->filename), "\\secret.txt");
	emit(bus, WS_EV_SMB, &ssn, m);
	m->command = 0x2e;
	m->data_length = 4096;
	emit(bus, WS_EV_SMB, &ssn, m);
	memset(&l, 0, sizeof(l));
	l.service = "smb";
	snprintf(l.user, sizeof(l.user), "administrator");
	snprintf(l.domain, sizeof(l.domain), "CORP");
	l.method = "ntlmv2";
	l.status_name = "STATUS_LOGON_FAILURE";
	emit(bus, WS_EV_LOGIN, &ssn, &l);
	emit(bus, WS_EV_LOGIN, &ssn, &l);
	l.success = 1;
	l.status_name = "STATUS_SUCCESS";
	emit(bus, WS_EV_LOGIN, &ssn, &l);
	free(n);
	free(m);
}

static void test_inventory_roles(void **state)
{
	struct ws_bus bus;
	struct ws_inventory *inv = ws_inventory_new();
	const struct ws_host *h;
	char *s;

	(void)state;
	assert_non_null(inv);
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, ws_inventory_on_event, inv);
	feed_smb_world(&bus);

	h = host(inv, "10.0.0.5");
	assert_non_null(h);
	assert_non_null(h->win);
	assert_true(has_role(h, "file server"));
	assert_true(has_role(h, "domain controller"));
	assert_true(has_role(h, "domain master browser"));
	assert_true(h->has_mac);
	assert_memory_equal(h->mac, "\x00\x0c\x29\x01\x02\x03", 6);
	assert_int_equal(h->win->name_cnt, 4);	/* DC01<20> once, though named twice */
	assert_string_equal(h->win->names[1].name, "CORP");
	assert_int_equal(h->win->names[1].type, WS_NB_GROUP);
	assert_string_equal(h->win->names[1].role, "domain controller");
	assert_string_equal(h->win->shares[0], "\\\\DC01\\IPC$");
	assert_int_equal(h->win->share_cnt, 2);
	assert_string_equal(h->win->os[0], "Windows Server 2003 3790");
	assert_string_equal(h->win->dialects[0], "NT LM 0.12");

	h = host(inv, "10.0.0.66");
	assert_non_null(h);
	assert_non_null(h->win);
	assert_int_equal(h->win->name_cnt, 1);	/* WS66<00>: registration and calling name */
	assert_string_equal(h->win->names[0].name, "WS66");
	assert_true(has_role(h, "workstation"));
	assert_string_equal(h->win->dialects_offered[0], "NT LM 0.12");
	assert_string_equal(h->win->os[0], "Windows 2000 2195");
	assert_string_equal(h->win->users[0], "CORP\\administrator");
	assert_int_equal(h->win->user_cnt, 1);

	h = host(inv, "10.0.0.7");
	assert_non_null(h);
	assert_true(has_role(h, "print server"));
	assert_true(has_role(h, "master browser"));
	assert_true(has_role(h, "file server"));
	assert_string_equal(h->win->os[0], "Windows 5.1");
	assert_int_equal(h->win->server_type, 0x00040203);

	/* Nobody is named at the broadcast address, and the queried name is nobody's. */
	assert_null(host(inv, "10.0.0.255"));

	/* The host line carries it all and stays valid JSON. */
	h = host(inv, "10.0.0.5");
	s = ndjson_of(WS_EV_HOST, NULL, h);
	HAS(s, "\"netbios_names\":[{\"name\":\"DC01\",\"suffix\":\"20\",\"type\":\"unique\",\"meaning\":\"File Server Service\",\"role\":\"file server\"}");
	HAS(s, "\"roles\":[\"file server\",\"domain controller\",\"domain master browser\"");
	HAS(s, "\"shares\":[\"\\\\\\\\DC01\\\\IPC$\",\"\\\\\\\\DC01\\\\docs\"]");
	HAS(s, "\"os\":[\"Windows Server 2003 3790\"]");
	HAS(s, "\"smb_dialects\":[\"NT LM 0.12\"]");
	HAS(s, "\"mac\":\"00:0c:29:01:02:03\"");
	free(s);
	s = ndjson_of(WS_EV_HOST, NULL, host(inv, "10.0.0.66"));
	HAS(s, "\"users\":[\"CORP\\\\administrator\"]");
	HAS(s, "\"smb_dialects_offered\":[\"NT LM 0.12\"]");
	free(s);
	ws_inventory_free(inv);
}

static void test_inventory_caps(void **state)
{
	struct ws_bus bus;
	struct ws_inventory *inv = ws_inventory_new();
	struct ws_flow f;
	struct ws_ev_login l;
	struct ws_ev_netbios *n = calloc(1, sizeof(*n));
	const struct ws_host *h;
	char *s;

	(void)state;
	assert_non_null(inv);
	assert_non_null(n);
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, ws_inventory_on_event, inv);
	mkflow(&f, 1, 17, "10.0.0.66", 50000, "10.0.0.5", 137);
	n->service = WS_NB_NS;
	n->response = true;
	n->qtype = 0x21;
	n->status_cnt = WS_NB_STATUS_MAX;
	for (int i = 0; i < WS_NB_STATUS_MAX; i++) {
		char nm[16];

		snprintf(nm, sizeof(nm), "N%d", i);
		nbname(&n->status[i].name, nm, (uint8_t)i, WS_NB_UNIQUE, NULL);
	}
	emit(&bus, WS_EV_NETBIOS, &f, n);
	/* status_cnt past the array: read no further than the array. */
	n->status_cnt = 255;
	emit(&bus, WS_EV_NETBIOS, &f, n);
	memset(&l, 0, sizeof(l));
	l.service = "smb";
	for (int i = 0; i < 100; i++) {
		snprintf(l.user, sizeof(l.user), "u%d", i);
		emit(&bus, WS_EV_LOGIN, &f, &l);
	}
	h = host(inv, "10.0.0.5");
	assert_int_equal(h->win->name_cnt, WS_HOST_NB_NAMES_MAX);
	assert_int_equal(h->win->names_dropped, 2 * (WS_NB_STATUS_MAX - WS_HOST_NB_NAMES_MAX));	/* counted per sighting */
	h = host(inv, "10.0.0.66");
	assert_int_equal(h->win->user_cnt, WS_HOST_USERS_MAX);
	assert_int_equal(h->win->users_dropped, 100 - WS_HOST_USERS_MAX);
	s = ndjson_of(WS_EV_HOST, NULL, h);
	HAS(s, "\"users_dropped\":84");
	free(s);
	free(n);
	ws_inventory_free(inv);
}

static void test_report_sections(void **state)
{
	struct ws_bus bus;
	struct ws_inventory *inv = ws_inventory_new();
	struct ws_report *r = ws_report_new();
	char *buf = NULL;
	size_t n = 0;
	FILE *m;

	(void)state;
	assert_non_null(inv);
	assert_non_null(r);
	ws_bus_init(&bus);
	ws_bus_subscribe(&bus, ws_inventory_on_event, inv);
	ws_bus_subscribe(&bus, ws_report_on_event, r);
	feed_smb_world(&bus);
	m = open_memstream(&buf, &n);
	assert_non_null(m);
	ws_report_print(r, m, NULL, inv, NULL, NULL, WS_REPORT_COLOR_NEVER);
	fclose(m);
	HAS(buf, "\nNetBIOS names\n");
	HAS(buf, "DC01<20>");
	HAS(buf, "CORP<1C>");
	HAS(buf, "Domain Controllers");
	HAS(buf, "file server, domain controller, domain master browser");
	HAS(buf, "Windows 5.1");
	HAS(buf, "\nLogins\n");
	HAS(buf, "CORP\\administrator");
	HAS(buf, "STATUS_LOGON_FAILURE 2");
	HAS(buf, "\nSMB\n");
	HAS(buf, "NT LM 0.12 (1)");
	HAS(buf, "10.0.0.66 -> 10.0.0.5");
	HAS(buf, "\\\\DC01\\IPC$");
	HAS(buf, "\\secret.txt");
	HAS(buf, "4.0 KiB");
	/* The hostile name is escaped, never sent to the terminal raw. */
	HASNT(buf, "\x1b");
	HAS(buf, "\\x1b");
	free(buf);

	/* No NetBIOS, login or SMB events: no such sections. */
	ws_report_free(r);
	r = ws_report_new();
	buf = NULL;
	m = open_memstream(&buf, &n);
	ws_report_print(r, m, NULL, NULL, NULL, NULL, WS_REPORT_COLOR_NEVER);
	fclose(m);
	HASNT(buf, "NetBIOS names");
	HASNT(buf, "\nLogins\n");
	HASNT(buf, "\nSMB\n");
	free(buf);
	ws_report_free(r);
	ws_inventory_free(inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker_itself),
		cmocka_unit_test(test_ndjson_nbns_status),
		cmocka_unit_test(test_ndjson_nbdgm_nbss),
		cmocka_unit_test(test_ndjson_smb_dcerpc_login),
		cmocka_unit_test(test_inventory_roles),
		cmocka_unit_test(test_inventory_caps),
		cmocka_unit_test(test_report_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
