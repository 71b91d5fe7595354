/*
 * driver.c - runs a libFuzzer target without libFuzzer: every file named on
 * the command line, and every file below every directory named, is passed to
 * LLVMFuzzerTestOneInput once. `meson test --suite fuzz-replay` uses it to
 * replay the corpora (past crashers and seeds) under the sanitizers.
 * Gzip-compressed seeds are passed as they are: the targets accept them.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds larger than this are skipped: the fuzzer itself would never make them. */
#define REPLAY_FILE_MAX (32u * 1024u * 1024u)

static unsigned long replayed;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		perror(path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	if ((unsigned long)n > REPLAY_FILE_MAX) {
		fclose(f);
		return 0;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	replayed++;
	return 0;
}

static int run_path(const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (stat(path, &st) != 0)
		return 0;	/* an optional corpus that is absent */
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? run_file(path) : 0;
	if (depth > 8)
		return 0;
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (run_path(sub, depth + 1))
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], 0))
			rc = 1;
	printf("replayed %lu inputs\n", replayed);
	return rc;
}
