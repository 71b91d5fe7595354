/*
 * event.c - event names and the synchronous bus (see event.h).
 */
#include "event/event.h"

static const char *const names[] = {
#define WS_EV(id, name, body, doc) name,
#include "event/events.def"
#undef WS_EV
};

static const char *const docs[] = {
#define WS_EV(id, name, body, doc) doc,
#include "event/events.def"
#undef WS_EV
};

const char *ws_ev_name(enum ws_ev_type t)
{
	return (unsigned)t < WS_EV__COUNT ? names[t] : "unknown";
}

const char *ws_ev_doc(enum ws_ev_type t)
{
	return (unsigned)t < WS_EV__COUNT ? docs[t] : "";
}

void ws_bus_init(struct ws_bus *b)
{
	*b = (struct ws_bus){ .n = 0 };
}

int ws_bus_subscribe(struct ws_bus *b, ws_ev_fn fn, void *user)
{
	if (b->n >= WS_BUS_SUBS_MAX)
		return -1;
	b->sub[b->n].fn = fn;
	b->sub[b->n].user = user;
	b->n++;
	return 0;
}

void ws_bus_emit(struct ws_bus *b, const struct ws_event *ev)
{
	if ((unsigned)ev->type < WS_EV__COUNT)
		b->emitted[ev->type]++;
	for (int i = 0; i < b->n; i++)
		b->sub[i].fn(b->sub[i].user, ev);
}
