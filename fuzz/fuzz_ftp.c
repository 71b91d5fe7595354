/*
 * fuzz_ftp.c - the FTP control parser (ftp.c) and its data-channel expectations, through the real engine on TCP port 21. Input format: see
 * fuzz_tcp.h.
 */
#include "fuzz_tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return th_fuzz(data, size, 21);
}
