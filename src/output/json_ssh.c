/*
 * json_ssh.c - NDJSON body of the ssh event (see json_app.h): the fields of
 * struct ws_ev_ssh (event/ev_ssh.h) under their own names; empty strings and
 * unset parts are left out, auth_success is true/false/null.
 */
#include "output/json_app.h"

static void js_str(struct ws_sb *sb, bool *first, const char *key, const char *val)
{
	if (val[0] == '\0')
		return;
	ws_sb_addf(sb, "%s\"%s\":", *first ? "" : ",", key);
	ws_sb_json_str(sb, val);
	*first = false;
}

static void js_u64(struct ws_sb *sb, bool *first, const char *key, unsigned long long v)
{
	ws_sb_addf(sb, "%s\"%s\":%llu", *first ? "" : ",", key, v);
	*first = false;
}

void ws_json_ssh(struct ws_sb *sb, const struct ws_ev_ssh *e)
{
	bool first = true;

	ws_sb_add(sb, ",\"ssh\":{");
	js_str(sb, &first, "client_version", e->client_version);
	js_str(sb, &first, "client_proto", e->client_proto);
	js_str(sb, &first, "client_software", e->client_software);
	js_str(sb, &first, "client_comments", e->client_comments);
	js_str(sb, &first, "server_version", e->server_version);
	js_str(sb, &first, "server_proto", e->server_proto);
	js_str(sb, &first, "server_software", e->server_software);
	js_str(sb, &first, "server_comments", e->server_comments);
	if (e->server_pre_lines)
		js_u64(sb, &first, "server_pre_lines", e->server_pre_lines);
	js_str(sb, &first, "kex", e->kex);
	js_str(sb, &first, "host_key", e->host_key);
	js_str(sb, &first, "cipher_c2s", e->cipher_c2s);
	js_str(sb, &first, "cipher_s2c", e->cipher_s2c);
	js_str(sb, &first, "mac_c2s", e->mac_c2s);
	js_str(sb, &first, "mac_s2c", e->mac_s2c);
	js_str(sb, &first, "compression_c2s", e->compression_c2s);
	js_str(sb, &first, "compression_s2c", e->compression_s2c);
	js_str(sb, &first, "hassh", e->hassh);
	js_str(sb, &first, "hassh_string", e->hassh_string);
	js_str(sb, &first, "hassh_server", e->hassh_server);
	js_str(sb, &first, "hassh_server_string", e->hassh_server_string);
	ws_sb_addf(sb, "%s\"encryption_started\":%s", first ? "" : ",", e->encryption_started ? "true" : "false");
	first = false;
	js_u64(sb, &first, "auth_attempts", e->auth_attempts);
	ws_sb_addf(sb, ",\"auth_success\":%s",
		   e->auth_success > 0 ? "true" : e->auth_success == 0 ? "false" : "null");
	js_u64(sb, &first, "enc_packets_c2s", e->enc_packets_c2s);
	js_u64(sb, &first, "enc_packets_s2c", e->enc_packets_s2c);
	js_u64(sb, &first, "enc_bytes_c2s", e->enc_bytes_c2s);
	js_u64(sb, &first, "enc_bytes_s2c", e->enc_bytes_s2c);
	if (e->truncated)
		ws_sb_add(sb, ",\"truncated\":true");
	ws_sb_addc(sb, '}');
}
