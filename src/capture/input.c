/*
 * input.c - buffered reading of a capture file, plain or gzip-compressed.
 *
 * Spec: RFC 1952 (gzip member: 1f 8b ...), decoded with zlib's inflate()
 * (windowBits 16 + MAX_WBITS: gzip wrapper only). Several members in a row
 * are read as one stream, as gzip(1) does; bytes after a member that do not
 * start a new member (padding some tools leave) end the input quietly.
 *
 * Plain files are read with read() straight into one large buffer
 * (WS_SRC_BUF_INIT); records are handed out as pointers into it, and bytes
 * are moved only when a record straddles the end of the buffer (the tail is
 * moved to the front before the next read). A record larger than the buffer
 * grows it, up to WS_SRC_BUF_MAX. So the hot path costs no syscall, copy or
 * allocation per packet.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/src_priv.h"

/* read() that retries on EINTR; bytes read, 0 at end, -1 on error. */
static ssize_t read_some(int fd, void *dst, size_t n)
{
	ssize_t r;

	do {
		r = read(fd, dst, n);
	} while (r < 0 && errno == EINTR);
	return r;
}

/* Reads until n bytes are held or the input ends: bytes read, or -1. */
static ssize_t read_full(int fd, uint8_t *dst, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read_some(fd, dst + got, n - got);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int ws_in_open(struct ws_in *in, const char *path, char *err, size_t errlen)
{
	uint8_t magic[2];
	ssize_t got;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
		in->own_fd = false;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			snprintf(err, errlen, "cannot open: %s", strerror(errno));
			return -1;
		}
		in->own_fd = true;
	}
	in->buf = malloc(WS_SRC_BUF_INIT);
	if (!in->buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	in->cap = WS_SRC_BUF_INIT;

	/* Two bytes tell gzip (1f 8b) from anything else; read just those so a
	 * pipe need not be rewound. */
	got = read_full(in->fd, magic, sizeof(magic));
	if (got < 0) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		in->gz = true;
		in->zin = malloc(WS_SRC_GZ_IN);
		if (!in->zin) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK) {
			snprintf(err, errlen, "cannot start gzip decompression");
			in->gz = false;
			return -1;
		}
		memcpy(in->zin, magic, 2);
		in->zs.next_in = in->zin;
		in->zs.avail_in = 2;
		in->gz_member = true;
		return 0;
	}
	memcpy(in->buf, magic, (size_t)got);
	in->end = (size_t)got;
	if (got < 2)
		in->eof = true;
	return 0;
}

void ws_in_close(struct ws_in *in)
{
	if (in->gz)
		inflateEnd(&in->zs);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	free(in->zin);
	free(in->buf);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

/* Refills the compressed-input buffer: 1 if bytes came, 0 at end, -1 on error. */
static int gz_read_in(struct ws_in *in, char *err, size_t errlen)
{
	ssize_t r = read_some(in->fd, in->zin, WS_SRC_GZ_IN);

	if (r < 0) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (r == 0) {
		in->gz_in_eof = true;
		return 0;
	}
	in->zs.next_in = in->zin;
	in->zs.avail_in = (uInt)r;
	return 1;
}

/*
 * Decompresses into buf[end, cap): bytes produced (> 0), 0 at the end of the
 * input, -1 on an error. Stops as soon as it produced something.
 */
static ssize_t gz_fill(struct ws_in *in, char *err, size_t errlen)
{
	for (;;) {
		size_t room = in->cap - in->end;
		int zr;

		if (in->zs.avail_in == 0 && !in->gz_in_eof) {
			if (gz_read_in(in, err, errlen) < 0)
				return -1;
		}
		if (in->zs.avail_in == 0 && in->gz_in_eof) {
			if (in->gz_member)
				in->gz_cut = true;
			return 0;
		}
		if (!in->gz_member) {
			/* RFC 1952 2.2: members follow one another; anything
			 * else after a member is trailing padding, not data. */
			if (in->zs.next_in[0] != 0x1f) {
				in->gz_in_eof = true;
				in->zs.avail_in = 0;
				return 0;
			}
			inflateReset(&in->zs);
			in->gz_member = true;
		}
		in->zs.next_out = in->buf + in->end;
		in->zs.avail_out = (uInt)(room > UINT32_MAX ? UINT32_MAX : room);
		zr = inflate(&in->zs, Z_NO_FLUSH);
		in->end = (size_t)(in->zs.next_out - in->buf);
		if (zr == Z_STREAM_END) {
			in->gz_member = false;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(err, errlen, "gzip data corrupt near uncompressed offset %llu: %s",
				 (unsigned long long)(in->off + (in->end - in->pos)),
				 in->zs.msg ? in->zs.msg : "inflate failed");
			return -1;
		}
		if (in->cap - in->end < room)
			return (ssize_t)(room - (in->cap - in->end));
	}
}

int ws_in_fill(struct ws_in *in, size_t n, char *err, size_t errlen)
{
	size_t held = in->end - in->pos;

	if (in->eof)
		return 0;
	if (n > WS_SRC_BUF_MAX) {
		snprintf(err, errlen, "internal: read of %zu bytes asked", n);
		return -1;
	}
	/* Move the unconsumed tail to the front: the only copy we make. */
	if (in->pos > 0) {
		if (held > 0)
			memmove(in->buf, in->buf + in->pos, held);
		in->pos = 0;
		in->end = held;
	}
	if (n > in->cap) {
		size_t ncap = in->cap * 2;
		uint8_t *nbuf;

		while (ncap < n)
			ncap *= 2;
		if (ncap > WS_SRC_BUF_MAX)
			ncap = WS_SRC_BUF_MAX;
		nbuf = realloc(in->buf, ncap);
		if (!nbuf) {
			snprintf(err, errlen, "out of memory for a %zu-byte record", n);
			return -1;
		}
		in->buf = nbuf;
		in->cap = ncap;
	}
	while (in->end < n) {
		ssize_t r;

		if (in->gz) {
			r = gz_fill(in, err, errlen);
		} else {
			r = read_some(in->fd, in->buf + in->end, in->cap - in->end);
			if (r < 0)
				snprintf(err, errlen, "cannot read: %s", strerror(errno));
		}
		if (r < 0)
			return -1;
		if (r == 0) {
			in->eof = true;
			return 0;
		}
		if (!in->gz)
			in->end += (size_t)r;
	}
	return 1;
}
