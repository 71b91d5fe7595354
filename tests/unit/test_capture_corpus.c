/*
 * test_capture_corpus.c - reads every capture of the shared corpus
 * (shared/corpus/MANIFEST.tsv: columns `file` and `packets`, the count capinfos
 * gave) through ws_src_open_file()/ws_src_next() and compares the packet
 * counts. Captures known to be cut upstream must end in WS_SRC_ERR after
 * exactly their counted packets; every other one must end in WS_SRC_EOF.
 *
 * The corpus is found at $WS_CORPUS, else $WS_SRCDIR/../shared/corpus, else
 * ../shared/corpus; without it the test is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/source.h"

/* Captures whose file is cut upstream: the count is what precedes the cut. */
static const char *const known_cut[] = {
	"suricata-verify/pgsql/pgsql-5000-query-results/input.pcap",
};

static bool is_known_cut(const char *file)
{
	for (size_t i = 0; i < sizeof(known_cut) / sizeof(known_cut[0]); i++) {
		if (strcmp(file, known_cut[i]) == 0)
			return true;
	}
	return false;
}

static FILE *open_manifest(char *dir, size_t dirlen)
{
	const char *env = getenv("WS_CORPUS");
	const char *src = getenv("WS_SRCDIR");
	char path[4096];
	FILE *fp;

	if (env && *env)
		snprintf(dir, dirlen, "%s", env);
	else if (src && *src)
		snprintf(dir, dirlen, "%s/../shared/corpus", src);
	else
		snprintf(dir, dirlen, "../shared/corpus");
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	fp = fopen(path, "r");
	if (!fp && !(env && *env)) {
		snprintf(dir, dirlen, "../shared/corpus");
		snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
		fp = fopen(path, "r");
	}
	return fp;
}

/* The tab-separated field i of line (modified in place), or NULL. */
static char *field(char *line, int want)
{
	char *p = line;

	for (int i = 0; i < want; i++) {
		p = strchr(p, '\t');
		if (!p)
			return NULL;
		p++;
	}
	p[strcspn(p, "\t\r\n")] = '\0';
	return p;
}

static int column(const char *header, const char *name)
{
	char copy[4096];

	for (int i = 0; i < 64; i++) {
		char *f;

		snprintf(copy, sizeof(copy), "%s", header);
		f = field(copy, i);
		if (!f)
			return -1;
		if (strcmp(f, name) == 0)
			return i;
	}
	return -1;
}

static void test_corpus_counts(void **state)
{
	char dir[2048], line[4096], header[4096], path[6144], err[WS_ERRBUF_SIZE];
	int fcol, pcol;
	unsigned files = 0, bad = 0;
	FILE *fp = open_manifest(dir, sizeof(dir));

	(void)state;
	if (!fp) {
		print_message("corpus not found (set WS_CORPUS): skipped\n");
		skip();
		return;
	}
	assert_non_null(fgets(header, sizeof(header), fp));
	fcol = column(header, "file");
	pcol = column(header, "packets");
	assert_true(fcol >= 0 && pcol >= 0);
	while (fgets(line, sizeof(line), fp)) {
		char a[4096], b[4096];
		char *file, *pk;
		unsigned long want, got = 0;
		struct ws_src *s;
		struct ws_raw_pkt p;
		enum ws_src_status st;

		snprintf(a, sizeof(a), "%s", line);
		snprintf(b, sizeof(b), "%s", line);
		file = field(a, fcol);
		pk = field(b, pcol);
		if (!file || !pk || !*file)
			continue;
		want = strtoul(pk, NULL, 10);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		files++;
		if (ws_src_open_file(&s, path, err, sizeof(err)) != 0) {
			print_message("MISMATCH %s: open failed: %s\n", file, err);
			bad++;
			continue;
		}
		for (;;) {
			st = ws_src_next(s, &p, err, sizeof(err));
			if (st != WS_SRC_PKT)
				break;
			got++;
		}
		if (got != want || (st == WS_SRC_ERR) != is_known_cut(file)) {
			print_message("MISMATCH %s (%s): %lu packets, capinfos %lu; %s\n", file,
				      ws_src_format(s), got, want, st == WS_SRC_ERR ? err : "clean end");
			bad++;
		}
		ws_src_close(s);
	}
	fclose(fp);
	print_message("corpus: %u captures read, %u mismatches\n", files, bad);
	assert_true(files > 0);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_counts),
	};

	return cmocka_run_group_tests_name("capture_corpus", tests, NULL, NULL);
}
