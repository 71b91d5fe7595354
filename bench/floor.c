/* floor.c - the benchmark's floor: the cheapest possible libpcap read loop.
 *
 * Opens a capture with pcap_open_offline, walks every record with
 * pcap_next_ex, and prints "<packets> <captured bytes>" on stdout.
 * Anything that reads the same file through libpcap cannot be faster than
 * this, so bench/run reports every tool's time as a multiple of it.
 *
 * Build: cc -O2 bench/floor.c -lpcap -o floor
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const unsigned char *data;
	uint64_t packets = 0, bytes = 0;
	unsigned sink = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	p = pcap_open_offline(argv[1], errbuf);
	if (p == NULL) {
		fprintf(stderr, "floor: %s\n", errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		packets++;
		bytes += hdr->caplen;
		/* touch the first byte so the data is really read */
		if (hdr->caplen > 0)
			sink += data[0];
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "floor: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("%" PRIu64 " %" PRIu64 "\n", packets, bytes);
	return sink == 0xffffffffu; /* keep the touch; never true in practice */
}
