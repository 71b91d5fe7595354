/*
 * cmd.c - detectors on cleartext service commands (see cmd.h). Being written.
 */
#include <stdlib.h>

#include "detect/cmd.h"

struct ws_cmd_detect {
	struct ws_detect_cfg cfg;
	struct ws_findings *fs;
};

struct ws_cmd_detect *ws_cmd_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs)
{
	struct ws_cmd_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->fs = fs;
	return d;
}

void ws_cmd_detect_on_event(void *d, const struct ws_event *ev)
{
	(void)d;
	(void)ev;
}

void ws_cmd_detect_finish(struct ws_cmd_detect *d)
{
	(void)d;
}

void ws_cmd_detect_free(struct ws_cmd_detect *d)
{
	free(d);
}
